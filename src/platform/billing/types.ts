/**
 * Prepaid credits at admission time. For organizations on a credits plan the gateway reserves the request's
 * maximum cost before forwarding and settles to the actual cost when it ends, so concurrent requests cannot
 * drive the balance below zero. The balance itself is derived from the append-only ledger; this guard keeps
 * a shared counter of what is reserved and spent since the ledger was last read, one round trip per call.
 */
export interface CreditReservation {
  orgId: string;
  amountMicros: number;
}

export type CreditDecision =
  { ok: true; reservation: CreditReservation } | { ok: false; balanceMicros: number };

export interface Credits {
  reserve(orgId: string, maxCostMicros: number): Promise<CreditDecision>;
  /** Returns the unused part of a reservation. Not awaited on the request path. */
  settle(reservation: CreditReservation, actualCostMicros: number): Promise<void>;
  /** Current spendable balance (ledger balance minus open reservations), for the Plan page. */
  balance(orgId: string): Promise<number>;
}

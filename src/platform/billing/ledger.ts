/**
 * The billing ledger: append-only money movements per organization (grant, usage_debit, adjustment, refund;
 * positive = credit). A balance is always the sum of the entries, never a stored number. Usage debits are
 * written by the metering writer (one per usage event); everything else comes through `appendLedgerEntry`.
 */
import { newId } from '../ids.js';
import type { Query } from '../store/db.js';

export type LedgerKind = 'grant' | 'usage_debit' | 'adjustment' | 'refund';

export interface LedgerEntry {
  id: string;
  occurred_at: string;
  kind: LedgerKind;
  amount_micros: number;
  description: string;
}

/** The balance in micro-units: the sum of every entry of the organization. */
export async function ledgerBalance(query: Query, orgId: string): Promise<number> {
  const rows = await query<{ balance: string | number }>(
    'select coalesce(sum(amount_micros), 0)::bigint as balance from billing_ledger where org_id = $1',
    [orgId],
  );
  return Number(rows[0]?.balance ?? 0);
}

/** The newest entries first. */
export async function listLedger(query: Query, orgId: string, limit = 50): Promise<LedgerEntry[]> {
  const rows = await query<{
    id: string;
    occurred_at: Date | string;
    kind: LedgerKind;
    amount_micros: string | number;
    description: string;
  }>(
    `select id, occurred_at, kind, amount_micros, description from billing_ledger where org_id = $1
     order by occurred_at desc, id desc limit $2`,
    [orgId, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    occurred_at: new Date(r.occurred_at).toISOString(),
    kind: r.kind,
    amount_micros: Number(r.amount_micros),
    description: r.description,
  }));
}

export interface NewLedgerEntry {
  orgId: string;
  kind: Exclude<LedgerKind, 'usage_debit'>;
  amountMicros: number;
  description: string;
  createdBy: string | null;
}

/**
 * Appends a grant, adjustment or refund. Grants and refunds add credit; an adjustment may be either sign.
 * Example: appendLedgerEntry(query, { orgId, kind: 'grant', amountMicros: 5_000_000, description: 'Welcome', createdBy: null })
 */
export async function appendLedgerEntry(query: Query, entry: NewLedgerEntry): Promise<LedgerEntry> {
  const id = newId('led');
  const rows = await query<{ occurred_at: Date | string }>(
    `insert into billing_ledger (id, org_id, kind, amount_micros, description, created_by)
     values ($1, $2, $3, $4, $5, $6) returning occurred_at`,
    [id, entry.orgId, entry.kind, entry.amountMicros, entry.description, entry.createdBy],
  );
  return {
    id,
    occurred_at: new Date(rows[0]?.occurred_at ?? Date.now()).toISOString(),
    kind: entry.kind,
    amount_micros: entry.amountMicros,
    description: entry.description,
  };
}

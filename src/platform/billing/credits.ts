/**
 * The credits guard. Per organization a shared counter holds `balance` (loaded from the ledger on first
 * use, then moved by settlements and by ledger changes made through `applyLedgerEntry`) and `reserved`
 * (open reservations). A reservation is admitted only if balance − reserved covers it, in one atomic step:
 * one Lua script on Redis (shared by every instance), one synchronous function in memory. So N concurrent
 * reservations against a balance that covers K admit exactly K, and the spendable amount never goes below
 * zero; settlement releases the reservation and debits the actual cost.
 *
 * The counter is not reloaded from the ledger once loaded: usage debits reach the ledger later (metering
 * writeback) and are already counted here at settlement. Ledger changes other than usage debits are applied
 * as deltas; a generation number closes the race between a first load and a concurrent grant.
 */
import type { RedisClient } from '#src/platform/redis/client.js';
import type { Store } from '../store/db.js';
import { PortalError } from '../http/errors.js';
import { ledgerBalance } from './ledger.js';
import type { CreditDecision, CreditReservation, Credits } from './types.js';
import { createMemoryCounter, createRedisCounter, type CreditCounter } from './counter.js';

export interface CreditsOptions {
  store: Store;
  /** Shared counter on Redis when given (the guard owns the connection and quits it on close). */
  redis?: RedisClient;
  /** Prepended to Redis keys (tests use a random one). */
  prefix?: string;
}

export interface CreditsGuard extends Credits {
  readonly kind: 'memory' | 'redis';
  /** Moves a loaded counter by a ledger entry just appended (grant, refund, adjustment). */
  applyLedgerEntry(orgId: string, amountMicros: number): Promise<void>;
  close(): Promise<void>;
}

export function createCredits(options: CreditsOptions): CreditsGuard {
  const counter: CreditCounter = options.redis
    ? createRedisCounter(options.redis, options.prefix ?? '')
    : createMemoryCounter();

  const loading = new Map<string, Promise<void>>();
  /** One ledger read per organization however many requests arrive at once. */
  function load(orgId: string): Promise<void> {
    let p = loading.get(orgId);
    if (!p) {
      p = (async () => {
        const generation = await counter.generation(orgId);
        const balance = await ledgerBalance(options.store.query, orgId);
        await counter.load(orgId, balance, generation);
      })().finally(() => loading.delete(orgId));
      loading.set(orgId, p);
    }
    return p;
  }

  return {
    kind: counter.kind,
    async reserve(orgId, maxCostMicros): Promise<CreditDecision> {
      const amount = Math.max(0, Math.ceil(maxCostMicros));
      for (let attempt = 0; attempt < 5; attempt++) {
        const r = await counter.reserve(orgId, amount).catch(unreachable);
        if (r.state === 'admitted') return { ok: true, reservation: { orgId, amountMicros: amount } };
        if (r.state === 'refused') return { ok: false, balanceMicros: Math.max(0, r.available) };
        await load(orgId).catch(unreachable);
      }
      throw new Error(`credit counter for ${orgId} could not be loaded`);
    },
    async settle(reservation: CreditReservation, actualCostMicros: number) {
      await counter.settle(
        reservation.orgId,
        reservation.amountMicros,
        Math.max(0, Math.ceil(actualCostMicros)),
      );
    },
    async balance(orgId) {
      let available = await counter.available(orgId);
      if (available === null) {
        await load(orgId);
        available = (await counter.available(orgId)) ?? 0;
      }
      return available;
    },
    applyLedgerEntry: (orgId, amountMicros) => counter.adjust(orgId, amountMicros),
    close: () => counter.close(),
  };
}

/**
 * The counter (Redis) or the ledger (the store) did not answer: a credits request is refused with 503 and a
 * retry-after, never admitted unchecked (money) and never a 500 (issue #17: the soak saw 500 internal_error
 * for every credits request while Redis was down).
 */
function unreachable(_err: unknown): never {
  throw new PortalError({
    code: 'service_unavailable',
    message:
      'The credit balance cannot be checked right now (balance store unreachable); please retry shortly.',
    headers: { 'retry-after': '1' },
  });
}

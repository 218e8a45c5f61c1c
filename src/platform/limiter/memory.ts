/**
 * The in-process limiter: the sub-bucketed sliding window of limits.md over plain maps, for a single instance
 * (and as the per-instance fallback when Redis is unreachable). Synchronous inside, so one call is atomic.
 * Mirrors the Redis Lua script (lua.ts); both pass the same contract suite.
 */
import type { Charge, LimitDecision, LimitSpec, LimitState, Limiter } from './types.js';
import {
  assertValidSpecs,
  bucketIndex,
  DEFAULT_BUCKETS,
  leavesIn,
  oldestCounted,
  windowOf,
  type Window,
} from './window.js';

/** One limit's counter: amounts per bucket index, their running sum, and the range [lo, hi] in use. */
interface Counter {
  width: number;
  sum: number;
  /** Oldest bucket index that may hold an amount (advanced past empty buckets). */
  lo: number;
  hi: number;
  buckets: Map<number, number>;
  expiresAt: number;
}

const SWEEP_EVERY_MS = 60_000;

export function createMemoryLimiter(): Limiter {
  const counters = new Map<string, Counter>();
  let lastSweep = 0;

  function sweep(t: number) {
    if (t - lastSweep < SWEEP_EVERY_MS) return;
    lastSweep = t;
    for (const [key, c] of counters) if (c.expiresAt <= t) counters.delete(key);
  }

  /** The counter of `key`, pruned to time t (created empty when absent). */
  function load(key: string, w: Window, t: number): Counter {
    let c = counters.get(key);
    if (!c) {
      c = emptyCounter(w, t);
      counters.set(key, c);
    }
    prune(c, w, t);
    return c;
  }

  return {
    kind: 'memory',

    async consume(limits: LimitSpec[], now = Date.now()): Promise<LimitDecision> {
      assertValidSpecs(limits);
      sweep(now);
      // One row per limit: its spec, window and counter travel together, so no lookup by index can miss.
      const rows = limits.map((spec, index) => {
        const w = windowOf(spec);
        return { spec, index, w, counter: load(spec.key, w, now) };
      });
      const refused = rows.filter((r) => r.counter.sum + r.spec.cost > r.spec.limit);
      const blocked = refused[0];
      if (blocked) {
        let retryAfterMs: number | null = 0;
        for (const r of refused) {
          const wait = retryAfter(r.counter, r.w, r.spec, now);
          retryAfterMs = wait === null || retryAfterMs === null ? null : Math.max(retryAfterMs, wait);
        }
        const states = rows.map((r) => stateOf(r.counter, r.w, r.spec, now));
        return { allowed: false, states, blockedBy: blocked.index, retryAfterMs };
      }
      const charges = rows.map((r): Charge => chargeOf(r.spec, r.w, add(r.counter, r.w, now, r.spec.cost)));
      const states = rows.map((r) => stateOf(r.counter, r.w, r.spec, now));
      return { allowed: true, states, charges };
    },

    async settle(charges: Charge[], deltas: number[], now = Date.now()): Promise<void> {
      if (charges.length !== deltas.length) throw new TypeError('limiter: one delta per charge');
      charges.forEach((charge, i) => {
        const delta = deltas[i];
        if (delta === undefined || !Number.isSafeInteger(delta))
          throw new TypeError('limiter: deltas must be integers');
        const w = windowOf(charge);
        if (delta > 0) add(load(charge.key, w, now), w, now, delta);
        else if (delta < 0 && counters.has(charge.key)) refund(load(charge.key, w, now), charge, w, -delta);
      });
    },

    async peek(limits: LimitSpec[], now = Date.now()): Promise<LimitState[]> {
      assertValidSpecs(limits);
      return limits.map((l) => {
        const w = windowOf(l);
        const c = counters.get(l.key);
        if (c) prune(c, w, now);
        return stateOf(c ?? emptyCounter(w, now), w, l, now);
      });
    },

    status: () => ({ state: 'ok' }),

    async close() {
      counters.clear();
    },
  };
}

function emptyCounter(w: Window, t: number): Counter {
  const k = bucketIndex(w, t);
  return { width: w.width, sum: 0, lo: k, hi: k, buckets: new Map(), expiresAt: 0 };
}

/**
 * Drops buckets that left the window (each once, so amortised O(1)) and moves `lo` to the oldest bucket that
 * holds an amount. A counter whose bucket width changed (its window or bucket count was reconfigured) keeps
 * its whole sum in the current bucket: conservative, never over-admitting.
 */
function prune(c: Counter, w: Window, t: number): void {
  const oldest = oldestCounted(w, t);
  if (c.width !== w.width) {
    const sum = c.sum;
    Object.assign(c, emptyCounter(w, t), { expiresAt: c.expiresAt });
    if (sum > 0) add(c, w, t, sum);
    return;
  }
  if (c.sum <= 0 || c.hi < oldest) {
    Object.assign(c, emptyCounter(w, t));
    return;
  }
  for (; c.lo < oldest; c.lo++) {
    const amount = c.buckets.get(c.lo);
    if (amount !== undefined) {
      c.sum -= amount;
      c.buckets.delete(c.lo);
    }
  }
  while (c.lo < c.hi && !c.buckets.has(c.lo)) c.lo++;
}

/** Adds `amount` to the bucket of time t; returns its index. */
function add(c: Counter, w: Window, t: number, amount: number): number {
  const k = bucketIndex(w, t);
  if (c.sum <= 0) {
    c.lo = k;
    c.hi = k;
  }
  c.buckets.set(k, (c.buckets.get(k) ?? 0) + amount);
  c.sum += amount;
  c.lo = Math.min(c.lo, k);
  c.hi = Math.max(c.hi, k);
  c.expiresAt = Math.max(c.expiresAt, t + w.windowMs + w.width);
  return k;
}

/** Returns up to `amount` to the bucket the charge went to, if that bucket is still counted. */
function refund(c: Counter, charge: Charge, w: Window, amount: number): void {
  const k = Math.floor(charge.bucketStart / w.width);
  const held = c.buckets.get(k);
  if (held === undefined) return;
  const back = Math.min(held, amount);
  c.sum -= back;
  if (held - back > 0) c.buckets.set(k, held - back);
  else c.buckets.delete(k);
  while (c.lo < c.hi && !c.buckets.has(c.lo)) c.lo++;
}

/** Walks buckets from the oldest until enough has left the window for `spec.cost` to fit. */
function retryAfter(c: Counter, w: Window, spec: LimitSpec, t: number): number | null {
  if (spec.cost > spec.limit) return null;
  const need = c.sum + spec.cost - spec.limit;
  let freed = 0;
  for (let k = c.lo; k <= c.hi; k++) {
    freed += c.buckets.get(k) ?? 0;
    if (freed >= need) return leavesIn(w, k, t);
  }
  return leavesIn(w, c.hi, t);
}

function stateOf(c: Counter, w: Window, spec: LimitSpec, t: number): LimitState {
  return {
    key: spec.key,
    limit: spec.limit,
    used: c.sum,
    remaining: Math.max(0, spec.limit - c.sum),
    resetMs: c.sum > 0 ? leavesIn(w, c.lo, t) : 0,
  };
}

function chargeOf(spec: LimitSpec, w: Window, k: number): Charge {
  return {
    key: spec.key,
    windowMs: spec.windowMs,
    buckets: spec.buckets ?? DEFAULT_BUCKETS,
    bucketStart: k * w.width,
    amount: spec.cost,
  };
}

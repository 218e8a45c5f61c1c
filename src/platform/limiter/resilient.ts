/**
 * Keeps the gateway deciding when Redis is not: every call goes to the shared (Redis) limiter while it
 * answers; when it is disconnected, errors or times out, the call is decided by a per-instance memory limiter
 * with each limit scaled to this instance's share (`redis.localShare`), or refused with 503 when
 * `redis.onFailure` is 'closed'. The state is 'degraded' meanwhile, logged once a minute, and a background
 * probe switches back as soon as Redis answers again.
 *
 * What was admitted locally is also remembered (per key and bucket, net of settlements) and written back into
 * Redis before the first shared decision after an outage (or by the probe that sees Redis answer), so a Redis
 * that comes back empty (restarted, nothing on disk) still counts the outage's admissions for the rest of
 * their window instead of admitting the full limit again (issue #17: 12 + 36 + 12 in one minute for a limit
 * of 12). Written-back amounts go to Redis's current bucket (settle's positive delta), so they count for up
 * to one window longer than they would have: conservative, never over-admitting.
 */
import type { Logger } from '../log.js';
import { PortalError } from '../http/errors.js';
import { createMemoryLimiter } from './memory.js';
import { countDecision, type LimiterMetrics } from './metrics.js';
import type { Charge, LimitDecision, LimitSpec, LimitState, Limiter } from './types.js';
import { assertValidSpecs } from './window.js';
import { LateAnswer } from './redis.js';

export interface ResilientOptions {
  /** The shared limiter; its status() says whether its connection is up. */
  primary: Limiter;
  onFailure: 'local' | 'closed';
  /** 0..1: this instance's share of every limit while deciding locally. */
  localShare: number;
  log: Logger;
  metrics?: LimiterMetrics;
  /** After a failed call, decide locally without trying Redis for this long (a hung Redis costs one timeout). */
  backoffMs?: number;
  logEveryMs?: number;
}

interface Outage {
  since: number;
  reason: string;
  lastLog: number;
}

export function createResilientLimiter(options: ResilientOptions): Limiter {
  const { primary, onFailure, metrics } = options;
  const local = createMemoryLimiter();
  const outageAdmissions = createOutageLedger(primary);
  const redis = createRedisGuard(options, () => outageAdmissions.writeBack());

  function refuse(): never {
    throw new PortalError({
      code: 'service_unavailable',
      message: 'Rate limits cannot be checked right now (limit store unreachable); please retry shortly.',
      headers: { 'retry-after': String(Math.ceil((options.backoffMs ?? 1_000) / 1_000)) },
    });
  }

  const scale = (limits: LimitSpec[]): LimitSpec[] =>
    limits.map((l) => ({ ...l, limit: scaledLimit(l.limit, options.localShare) }));

  return {
    kind: 'redis',

    async consume(limits: LimitSpec[], now?: number): Promise<LimitDecision> {
      assertValidSpecs(limits);
      let late: Promise<unknown> | undefined;
      const shared = await redis.run(
        () => primary.consume(limits, now),
        (err) => {
          if (err instanceof LateAnswer) late = err.answer;
        },
      );
      if (shared) {
        countDecision(metrics, 'redis', shared, limits);
        return shared;
      }
      if (onFailure === 'closed') {
        metrics?.decision('local', 'unavailable', 'none');
        refuse();
      }
      const decision = await local.consume(scale(limits), now);
      countDecision(metrics, 'local', decision, limits);
      if (!decision.allowed) return decision;
      outageAdmissions.add(decision.charges);
      // Redis may have admitted (and charged) it after all: then the write-back must not count it again.
      // Its answer arrives before any write-back on that connection (replies come in order).
      late?.then(
        (admitted) => {
          if (admitted === true)
            outageAdmissions.settle(
              decision.charges,
              decision.charges.map((c) => -c.amount),
            );
        },
        () => undefined,
      );
      return { ...decision, charges: decision.charges.map((c) => ({ ...c, fallback: true })) };
    },

    async settle(charges: Charge[], deltas: number[], now?: number): Promise<void> {
      if (charges.length !== deltas.length) throw new TypeError('limiter: one delta per charge');
      const mine = pickCharges(charges, deltas, true);
      const shared = pickCharges(charges, deltas, false);
      if (mine.charges.length) {
        await local.settle(mine.charges, mine.deltas, now);
        outageAdmissions.settle(mine.charges, mine.deltas);
      }
      // A settlement Redis misses only leaves a reservation counted until its window passes: never refuse here.
      if (shared.charges.length) await redis.run(() => primary.settle(shared.charges, shared.deltas, now));
    },

    async peek(limits: LimitSpec[], now?: number): Promise<LimitState[]> {
      assertValidSpecs(limits);
      const shared = await redis.run(() => primary.peek(limits, now));
      if (shared) return shared;
      if (onFailure === 'closed') refuse();
      return local.peek(scale(limits), now);
    },

    status: redis.status,

    async close() {
      redis.stop();
      await Promise.all([primary.close(), local.close()]);
    },
  };
}

const LEDGER_PRUNE_AT = 10_000;

/**
 * The amounts admitted locally during an outage, per key, window and bucket (net of settlements), until they
 * are written back into Redis. `writeBack()` is single-flight: callers arriving while it runs wait for it, so
 * no decision reaches Redis before the outage's admissions do. Amounts whose window has passed are dropped.
 */
function createOutageLedger(primary: Limiter, clock: () => number = Date.now) {
  const entries = new Map<string, { charge: Charge; amount: number }>();
  let inFlight: Promise<void> | null = null;
  const id = (c: Charge) => `${c.key}\u0000${c.windowMs}\u0000${c.buckets}\u0000${c.bucketStart}`;
  const live = (c: Charge, t: number) => c.bucketStart + c.windowMs > t;

  function prune() {
    const t = clock();
    for (const [k, e] of entries) if (!live(e.charge, t) || e.amount <= 0) entries.delete(k);
  }

  function add(charges: Charge[]) {
    for (const c of charges) {
      const k = id(c);
      const entry = entries.get(k);
      if (entry) entry.amount += c.amount;
      else entries.set(k, { charge: { ...c, fallback: undefined }, amount: c.amount });
    }
    if (entries.size > LEDGER_PRUNE_AT) prune();
  }

  return {
    add,
    settle(charges: Charge[], deltas: number[]) {
      charges.forEach((c, i) => {
        const entry = entries.get(id(c));
        if (entry) entry.amount = Math.max(0, entry.amount + (deltas[i] ?? 0));
      });
    },
    /** Undefined when there is nothing to write back (every decision outside an outage): nothing to wait for. */
    writeBack(): Promise<void> | undefined {
      if (inFlight) return inFlight;
      if (!entries.size) return undefined;
      prune();
      if (!entries.size) return undefined;
      const batch = [...entries.values()];
      entries.clear();
      const charges = batch.map((e) => e.charge);
      const amounts = batch.map((e) => e.amount);
      inFlight = primary
        .settle(charges, amounts)
        .catch((err: unknown) => {
          add(batch.map((e) => ({ ...e.charge, amount: e.amount }))); // kept for the next attempt
          throw err;
        })
        .finally(() => (inFlight = null));
      return inFlight;
    },
  };
}

/** The charges decided locally (`fallback`) or on Redis, each with its delta. */
function pickCharges(charges: Charge[], deltas: number[], fallback: boolean) {
  const picked = { charges: [] as Charge[], deltas: [] as number[] };
  charges.forEach((charge, i) => {
    if (Boolean(charge.fallback) !== fallback) return;
    picked.charges.push(charge);
    picked.deltas.push(deltas[i] ?? 0);
  });
  return picked;
}

/**
 * Whether Redis is usable now: an outage starts on the first failure (logged, then once per `logEveryMs`),
 * calls skip Redis for `backoffMs` after a failed one, and a probe every `backoffMs` ends the outage as soon as
 * Redis answers.
 */
function createRedisGuard(options: ResilientOptions, beforeShared: () => Promise<void> | undefined) {
  const { primary, log, metrics } = options;
  const backoffMs = options.backoffMs ?? 1_000;
  const logEveryMs = options.logEveryMs ?? 60_000;
  let outage: Outage | null = null;
  let skipUntil = 0;
  let probe: NodeJS.Timeout | null = null;

  function failed(reason: string, attempted: boolean) {
    const now = Date.now();
    if (attempted) {
      skipUntil = now + backoffMs;
      metrics?.redisErrors.inc();
    }
    if (outage) {
      outage.reason = reason;
      if (now - outage.lastLog < logEveryMs) return;
      outage.lastLog = now;
      const still = `limiter: Redis still unavailable, ${fallbackText(options)}`;
      log.warn({ reason, downMs: now - outage.since }, still);
      return;
    }
    outage = { since: now, reason, lastLog: now };
    metrics?.degraded.set(1);
    log.warn(
      { reason, onFailure: options.onFailure },
      `limiter: Redis unavailable, ${fallbackText(options)}`,
    );
    probe = startProbe(primary, backoffMs, beforeShared, recovered);
  }

  function recovered() {
    if (!outage) return;
    log.info({ downMs: Date.now() - outage.since }, 'limiter: Redis answers again, limits are shared again');
    outage = null;
    metrics?.degraded.set(0);
    stop();
  }

  function stop() {
    if (probe) clearInterval(probe);
    probe = null;
  }

  return {
    /** Runs `shared` on Redis when it is usable; undefined when the caller must fall back. */
    async run<T>(shared: () => Promise<T>, onError?: (err: unknown) => void): Promise<T | undefined> {
      const conn = primary.status();
      if (conn.state !== 'ok') {
        failed(conn.detail ?? 'redis not connected', false);
        return undefined;
      }
      if (outage && Date.now() < skipUntil) return undefined;
      try {
        const writingBack = beforeShared();
        if (writingBack) await writingBack;
        const result = await shared();
        recovered();
        return result;
      } catch (err) {
        onError?.(err);
        failed(err instanceof Error ? err.message : String(err), true);
        return undefined;
      }
    },
    status: () => statusOf(primary, outage, options),
    stop,
  };
}

/**
 * Every `everyMs`, while the connection is up, one cheap call to Redis and the outage's write-back;
 * `onAnswer` when both succeed.
 */
function startProbe(
  primary: Limiter,
  everyMs: number,
  writeBack: () => Promise<void> | undefined,
  onAnswer: () => void,
): NodeJS.Timeout {
  async function probe() {
    if (primary.status().state !== 'ok') return;
    try {
      await primary.peek([]);
      await writeBack();
      onAnswer();
    } catch {
      // still down; the next tick tries again
    }
  }
  // probe() catches its own failures: a tick only ever ends in onAnswer() or a later tick.
  const timer = setInterval(() => void probe(), everyMs);
  timer.unref();
  return timer;
}

function statusOf(
  primary: Limiter,
  outage: Outage | null,
  options: ResilientOptions,
): ReturnType<Limiter['status']> {
  const conn = primary.status();
  if (!outage && conn.state === 'ok') return { state: 'ok' };
  const reason = outage?.reason ?? conn.detail ?? 'redis not connected';
  const since = outage ? ` since ${new Date(outage.since).toISOString()}` : '';
  return { state: 'degraded', detail: `Redis unavailable${since} (${reason}); ${fallbackText(options)}` };
}

function fallbackText(options: ResilientOptions) {
  return options.onFailure === 'closed'
    ? 'refusing requests (redis.onFailure = closed)'
    : `deciding with per-instance limits (share ${options.localShare})`;
}

/** This instance's part of a limit: at least 1 of a non-zero limit unless the share is 0. */
export function scaledLimit(limit: number, share: number): number {
  if (limit === 0 || share <= 0) return 0;
  return Math.max(1, Math.floor(limit * share));
}

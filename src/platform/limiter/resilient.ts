/**
 * Keeps the gateway deciding when Redis is not: every call goes to the shared (Redis) limiter while it
 * answers; when it is disconnected, errors or times out, the call is decided by a per-instance memory limiter
 * with each limit scaled to this instance's share (`redis.localShare`), or refused with 503 when
 * `redis.onFailure` is 'closed'. The state is 'degraded' meanwhile, logged once a minute, and a background
 * probe switches back as soon as Redis answers again.
 */
import type { Logger } from '../log.js';
import { PortalError } from '../http/errors.js';
import { createMemoryLimiter } from './memory.js';
import { countDecision, type LimiterMetrics } from './metrics.js';
import type { Charge, LimitDecision, LimitSpec, LimitState, Limiter } from './types.js';
import { assertValidSpecs } from './window.js';

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
  const { primary, onFailure, log, metrics } = options;
  const backoffMs = options.backoffMs ?? 1_000;
  const logEveryMs = options.logEveryMs ?? 60_000;
  const local = createMemoryLimiter();
  let outage: Outage | null = null;
  let skipUntil = 0;
  let probe: NodeJS.Timeout | null = null;

  function failed(reason: string, attempted: boolean) {
    const now = Date.now();
    if (attempted) {
      skipUntil = now + backoffMs;
      metrics?.redisErrors.inc();
    }
    if (!outage) {
      outage = { since: now, reason, lastLog: now };
      metrics?.degraded.set(1);
      log.warn({ reason, onFailure }, `limiter: Redis unavailable, ${fallbackText()}`);
      // probeRedis catches its own failures: a tick only ever ends in recovered() or a later tick.
      probe = setInterval(() => void probeRedis(), backoffMs);
      probe.unref();
    } else {
      outage.reason = reason;
      if (now - outage.lastLog >= logEveryMs) {
        outage.lastLog = now;
        log.warn(
          { reason, downMs: now - outage.since },
          `limiter: Redis still unavailable, ${fallbackText()}`,
        );
      }
    }
  }

  function recovered() {
    if (!outage) return;
    log.info({ downMs: Date.now() - outage.since }, 'limiter: Redis answers again, limits are shared again');
    outage = null;
    metrics?.degraded.set(0);
    if (probe) clearInterval(probe);
    probe = null;
  }

  async function probeRedis() {
    if (primary.status().state !== 'ok') return;
    try {
      await primary.peek([]);
      recovered();
    } catch {
      // still down; the next tick tries again
    }
  }

  function fallbackText() {
    return onFailure === 'closed'
      ? 'refusing requests (redis.onFailure = closed)'
      : `deciding with per-instance limits (share ${options.localShare})`;
  }

  /** Runs `shared` on Redis when it is usable; undefined when the caller must fall back. */
  async function viaRedis<T>(shared: () => Promise<T>): Promise<T | undefined> {
    const conn = primary.status();
    if (conn.state !== 'ok') {
      failed(conn.detail ?? 'redis not connected', false);
      return undefined;
    }
    if (outage && Date.now() < skipUntil) return undefined;
    try {
      const result = await shared();
      recovered();
      return result;
    } catch (err) {
      failed(err instanceof Error ? err.message : String(err), true);
      return undefined;
    }
  }

  function refuse(): never {
    throw new PortalError({
      code: 'service_unavailable',
      message: 'Rate limits cannot be checked right now (limit store unreachable); please retry shortly.',
      headers: { 'retry-after': String(Math.ceil(backoffMs / 1_000)) },
    });
  }

  const scale = (limits: LimitSpec[]): LimitSpec[] =>
    limits.map((l) => ({ ...l, limit: scaledLimit(l.limit, options.localShare) }));

  return {
    kind: 'redis',

    async consume(limits: LimitSpec[], now?: number): Promise<LimitDecision> {
      assertValidSpecs(limits);
      const shared = await viaRedis(() => primary.consume(limits, now));
      if (shared) {
        countDecision(metrics, 'redis', shared);
        return shared;
      }
      if (onFailure === 'closed') {
        metrics?.decisions.inc({ backend: 'local', outcome: 'unavailable' });
        refuse();
      }
      const decision = await local.consume(scale(limits), now);
      countDecision(metrics, 'local', decision);
      if (!decision.allowed) return decision;
      return { ...decision, charges: decision.charges.map((c) => ({ ...c, fallback: true })) };
    },

    async settle(charges: Charge[], deltas: number[], now?: number): Promise<void> {
      if (charges.length !== deltas.length) throw new TypeError('limiter: one delta per charge');
      const pick = (fallback: boolean) => {
        const at = charges.flatMap((c, i) => (Boolean(c.fallback) === fallback ? [i] : []));
        return { charges: at.map((i) => charges[i]!), deltas: at.map((i) => deltas[i]!) };
      };
      const mine = pick(true);
      const shared = pick(false);
      if (mine.charges.length) await local.settle(mine.charges, mine.deltas, now);
      // A settlement Redis misses only leaves a reservation counted until its window passes: never refuse here.
      if (shared.charges.length) await viaRedis(() => primary.settle(shared.charges, shared.deltas, now));
    },

    async peek(limits: LimitSpec[], now?: number): Promise<LimitState[]> {
      assertValidSpecs(limits);
      const shared = await viaRedis(() => primary.peek(limits, now));
      if (shared) return shared;
      if (onFailure === 'closed') refuse();
      return local.peek(scale(limits), now);
    },

    status() {
      const conn = primary.status();
      if (!outage && conn.state === 'ok') return { state: 'ok' };
      const reason = outage?.reason ?? conn.detail ?? 'redis not connected';
      const since = outage ? ` since ${new Date(outage.since).toISOString()}` : '';
      return { state: 'degraded', detail: `Redis unavailable${since} (${reason}); ${fallbackText()}` };
    },

    async close() {
      if (probe) clearInterval(probe);
      await Promise.all([primary.close(), local.close()]);
    },
  };
}

/** This instance's part of a limit: at least 1 of a non-zero limit unless the share is 0. */
export function scaledLimit(limit: number, share: number): number {
  if (limit === 0 || share <= 0) return 0;
  return Math.max(1, Math.floor(limit * share));
}

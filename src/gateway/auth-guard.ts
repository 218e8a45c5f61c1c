/**
 * The pre-authentication guard (issue #10, Medium 5): failed authentications are counted per client IP in a
 * sliding window of the shared limiter (Redis with REDIS_URL, so every instance sees the same count). Once
 * an IP is past the limit, a key that is not already in memory is refused with 429 before the store or Unkey
 * is asked about it; a cached valid key never reaches the guard, so the hot path pays nothing for it.
 *
 * @example
 *   const guard = createAuthGuard({ limiter, limit: 30, windowMs: 60_000 });
 *   await keys.verify(presented, undefined, () => guard.check(ip));   // a 429 Denial past the limit
 *   if (!result.ok) guard.failed(ip);
 */
import { createHash } from 'node:crypto';
import type { LimitSpec, Limiter } from '../platform/limiter/types.js';
import { deny, type Denial } from './denial.js';

export interface AuthGuard {
  /** A 429 rate_limit_exceeded Denial when `ip` is past its failed authentications, else undefined. */
  check(ip: string | undefined): Promise<Denial | undefined>;
  /** Counts one failed authentication from `ip` (never awaited by the request). */
  failed(ip: string | undefined): void;
}

export interface AuthGuardOptions {
  limiter: Limiter;
  /** Failed authentications an IP may have in `windowMs` before lookups are refused. */
  limit: number;
  windowMs: number;
}

export function createAuthGuard(options: AuthGuardOptions): AuthGuard {
  const { limiter, limit, windowMs } = options;
  // Counter keys carry a hash of the address, never the address itself; one hash tag per IP.
  const spec = (ip: string, cost: number): LimitSpec => {
    const tag = createHash('sha256').update(ip).digest('base64url').slice(0, 22);
    return { key: `rl:{ip:${tag}}:authfail`, limit, windowMs, buckets: 60, cost };
  };
  return {
    async check(ip) {
      if (!ip) return;
      const [state] = await limiter.peek([spec(ip, 0)]);
      if (!state || state.used < limit) return;
      const waitMs = Math.max(1, state.resetMs);
      return deny(
        'rate_limit_exceeded',
        `Too many failed authentications from this address. Retry in ${Math.ceil(waitMs / 1000)} s with a valid API key.`,
        { retryAfterMs: waitMs, windows: { requests: { resetMs: waitMs } } },
      );
    },
    failed(ip) {
      if (ip) void limiter.consume([spec(ip, 1)]).catch(() => {});
    },
  };
}

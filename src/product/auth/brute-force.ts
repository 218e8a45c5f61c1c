/**
 * Brute-force protection for password checks (sign-in, change-password). Each attempt is counted *before*
 * the password is checked, atomically, so concurrent guesses cannot all slip through. Failures are kept per
 * (account, client address): after `maxFailures` the pair backs off (1 min, doubling, at most `maxBackoffMs`)
 * — an attacker locks out only their own address, never the account from everywhere. Each address also
 * has `maxPerAddress` attempts per window over all accounts. A right password clears its pair.
 *
 * Memory (one instance: bounded LRU maps, least recently used entries forgotten first) or Redis (every
 * instance shares the counters; one Lua script per decision) — see ./brute-force-redis.ts.
 *
 * @example
 *   const d = await guard.begin('ada@example.com', '203.0.113.7');
 *   if (!d.ok) refuse(429, d.retryAfterMs); else if (passwordRight) await guard.succeeded(…);
 */
import { dropOldest } from '#src/platform/bounded-map.js';

export type AttemptDecision = { ok: true } | { ok: false; retryAfterMs: number };

export interface AttemptGuard {
  /** Counts one attempt for (subject, address) before its password is checked; refuses while backing off. */
  begin(subject: string, address: string, now?: number): Promise<AttemptDecision>;
  /** The password was right: the pair's failures are forgotten and the address's attempt refunded. */
  succeeded(subject: string, address: string): Promise<void>;
}

export interface GuardPolicy {
  maxFailures: number;
  windowMs: number;
  maxPerAddress: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_POLICY: GuardPolicy = {
  maxFailures: 5,
  windowMs: 15 * 60_000,
  maxPerAddress: 50,
  baseBackoffMs: 60_000,
  maxBackoffMs: 15 * 60_000,
};

/** How long a pair backs off after its `count`-th counted attempt (0 while under the limit). */
export function backoffMs(count: number, policy: GuardPolicy): number {
  if (count < policy.maxFailures) return 0;
  return Math.min(policy.maxBackoffMs, policy.baseBackoffMs * 2 ** (count - policy.maxFailures));
}

interface PairState {
  count: number;
  blockedUntil: number;
  expiresAt: number;
}

interface AddressState {
  count: number;
  windowStart: number;
}

export function createAttemptGuard(options: Partial<GuardPolicy> & { capacity?: number } = {}): AttemptGuard {
  const policy = { ...DEFAULT_POLICY, ...options };
  const pairs = lruMap<PairState>(options.capacity ?? 100_000);
  const addresses = lruMap<AddressState>(options.capacity ?? 100_000);
  const pairKey = (subject: string, address: string) => `${address}\u0000${subject}`;

  return {
    async begin(subject, address, now = Date.now()) {
      const key = pairKey(subject, address);
      const pair = live(pairs.get(key), now) ?? { count: 0, blockedUntil: 0, expiresAt: 0 };
      const addr = addresses.get(address);
      const from = addr && now - addr.windowStart < policy.windowMs ? addr : { count: 0, windowStart: now };
      if (pair.blockedUntil > now) return { ok: false, retryAfterMs: pair.blockedUntil - now };
      if (from.count >= policy.maxPerAddress)
        return { ok: false, retryAfterMs: from.windowStart + policy.windowMs - now };
      pair.count += 1;
      const wait = backoffMs(pair.count, policy);
      if (wait) pair.blockedUntil = now + wait;
      pair.expiresAt = Math.max(pair.blockedUntil, now) + policy.windowMs;
      from.count += 1;
      pairs.set(key, pair);
      addresses.set(address, from);
      return { ok: true };
    },
    async succeeded(subject, address) {
      pairs.delete(pairKey(subject, address));
      const addr = addresses.get(address);
      if (addr && addr.count > 0) addr.count -= 1;
    },
  };
}

function live(state: PairState | undefined, now: number): PairState | undefined {
  return state && state.expiresAt > now ? state : undefined;
}

/** A Map that forgets its least recently used entry past `capacity` (Map keeps insertion order). */
function lruMap<V>(capacity: number) {
  const map = new Map<string, V>();
  return {
    get(key: string): V | undefined {
      const value = map.get(key);
      if (value !== undefined) {
        map.delete(key);
        map.set(key, value);
      }
      return value;
    },
    set(key: string, value: V) {
      map.delete(key);
      map.set(key, value);
      dropOldest(map, capacity);
    },
    delete: (key: string) => map.delete(key),
  };
}

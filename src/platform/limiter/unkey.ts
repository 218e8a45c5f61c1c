/**
 * The limiter contract's interface decided by Unkey's ratelimit API (limits.provider = unkey; decision 021).
 * Every limit of a request — the key's per-minute windows and the organization's daily / 30-day allowances —
 * goes out in one `ratelimit.multiLimit` call, each as a check in namespace `<prefix>.<window>` (portal.rpm,
 * portal.tpm, portal.rpd, portal.tpd, portal.tpmo, portal.authfail) with the counter's subject as identifier
 * and the request's cost (1, or the reserved tokens). `peek` sends the same checks with cost 0.
 * With keys.provider unkey too (`keyVerifier`), the key's windows are decided by `keys.verifyKey` with the
 * key's attached ratelimits and their cost, in parallel with that multiLimit call (which still carries them
 * as a mirror for `peek`); the same verification refuses a revoked, disabled or expired key at once.
 *
 * What this does NOT keep of Portal's contract (shared/limits.md), because Unkey does not offer it:
 * - exactness: Unkey decides on a fixed window plus a weighted share of the previous one, from local memory
 *   that converges with its regional and global counters; any window of length W may hold up to 2·L
 *   (each aligned window holds at most L), more while regions converge.
 * - all-or-none: the checks of one call are decided independently; a refused request may have charged the
 *   windows that passed (counts up, never down: it can only under-admit).
 * - settlement: Unkey takes no negative cost, so a token reservation stays counted at its full size.
 * A refusal's retry-after is the reset of the refusing window plus the share of the next window the old one
 * still weighs for this cost (`duration · cost / limit`): an upper bound that holds if no other traffic comes.
 * Unkey unreachable or failing → 503 `service_unavailable` (there is no per-instance fallback in this mode).
 *
 * @example
 *   const limiter = createUnkeyLimiter({ unkey, namespacePrefix: 'portal' });
 *   await limiter.consume([{ key: 'rl:{org_1}:k:key_9:rpm', limit: 10, windowMs: 60_000, cost: 1 }]);
 */
import { PortalError } from '../http/errors.js';
import type { Logger } from '../log.js';
import {
  UnkeyError,
  type RatelimitCheck,
  type RatelimitResult,
  type UnkeyClient,
  type VerifyKeyData,
} from '../unkey/client.js';
import type { Charge, ConsumeContext, LimitDecision, LimitSpec, LimitState, Limiter } from './types.js';
import { assertValidSpecs, DEFAULT_BUCKETS } from './window.js';

export interface UnkeyLimiterOptions {
  unkey: Pick<UnkeyClient, 'multiLimit'>;
  /**
   * Set with keys.provider unkey: a request's per-key windows are decided by `keys.verifyKey` with the key's
   * attached ratelimits (named `<prefix>.rpm` / `.tpm`, each with its cost and the current limit and
   * duration), in parallel with the `multiLimit` call for the organization's allowances.
   */
  keyVerifier?: Pick<UnkeyClient, 'verifyKey'>;
  namespacePrefix: string;
  log?: Logger;
  /** The clock refusals are measured from (tests). */
  now?: () => number;
}

/** Unkey's documented bounds of a check's duration. */
const MIN_DURATION = 1_000;
const MAX_DURATION = 2_592_000_000;

/**
 * `rl:{org_1}:k:key_9:rpm` → namespace `portal.rpm`, identifier `org_1:k:key_9` (the identifier pattern
 * allows letters, digits and `_.:/-`; anything else becomes `_`).
 */
export function unkeyCheckOf(spec: LimitSpec, prefix: string, cost = spec.cost): RatelimitCheck {
  const parts = spec.key.replace(/^rl:/, '').split(':');
  const window = parts.length > 1 ? (parts.pop() ?? 'limit') : 'limit';
  const identifier = parts
    .join(':')
    .replace(/[{}]/g, '')
    .replace(/[^a-zA-Z0-9_.:/-]/g, '_')
    .slice(0, 255);
  return {
    namespace: `${prefix}.${window.replace(/[^a-zA-Z0-9_]/g, '_')}`,
    identifier: identifier || 'none',
    limit: spec.limit,
    duration: durationOf(spec),
    cost,
  };
}

export function createUnkeyLimiter(options: UnkeyLimiterOptions): Limiter {
  const { unkey, namespacePrefix: prefix } = options;
  const clock = options.now ?? Date.now;
  let failure: string | undefined;

  async function ask(checks: RatelimitCheck[]): Promise<RatelimitResult[]> {
    try {
      const results = await unkey.multiLimit(checks);
      failure = undefined;
      return results;
    } catch (err) {
      if (!(err instanceof UnkeyError)) throw err;
      failure = err.message;
      options.log?.error(
        { err: err.message, status: err.status, requestId: err.requestId },
        'unkey ratelimit failed',
      );
      throw rateLimitsUnavailable();
    }
  }

  /**
   * Key windows at `keys.verifyKey` (the key's attached ratelimits), the organization's in `multiLimit`, in
   * parallel: one round trip. The key windows also go into `multiLimit` as a mirror (same cost, verdict
   * ignored) so the usage page's `cost: 0` reads, which have no key in hand, see the same counts; and they are
   * the fallback when the key has no attached ratelimits (Unkey answers 400: a key issued before this mode).
   */
  async function decideAtVerification(checks: RatelimitCheck[], credential: string): Promise<Verdict[]> {
    const keyIdx = checks.map((c, i) => (isKeyWindow(c) ? i : -1)).filter((i) => i >= 0);
    const verifier = options.keyVerifier;
    if (!verifier || keyIdx.length === 0) return (await ask(checks)).map(verdictOf);
    const asked = keyIdx.map((i) => checks[i] as RatelimitCheck);
    const [mirror, verified] = await Promise.all([
      ask(checks),
      guardVerify(() =>
        verifier.verifyKey(credential, {
          ratelimits: asked.map((c) => ({
            name: c.namespace,
            cost: c.cost ?? 1,
            limit: c.limit,
            duration: c.duration,
          })),
        }),
      ),
    ]);
    const verdicts = mirror.map(verdictOf);
    if (!verified) return verdicts; // no attached ratelimits: the mirror decides (logged in guardVerify)
    refuseUnusableKey(verified);
    for (const i of keyIdx) {
      const name = (checks[i] as RatelimitCheck).namespace;
      const r = verified.ratelimits?.find((x) => x.name === name);
      if (r) verdicts[i] = { passed: !r.exceeded, remaining: r.remaining, reset: r.reset };
      else if (verified.code === 'RATE_LIMITED') verdicts[i] = { ...(verdicts[i] as Verdict), passed: false };
    }
    return verdicts;
  }

  /** verifyKey's answer; undefined for Unkey's 400 (a named ratelimit not attached); 503 when unreachable. */
  async function guardVerify(call: () => Promise<VerifyKeyData>): Promise<VerifyKeyData | undefined> {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof UnkeyError)) throw err;
      if (err.status === 400) {
        options.log?.warn(
          { requestId: err.requestId },
          'unkey key has no attached ratelimits; mirror decides',
        );
        return undefined;
      }
      options.log?.error({ err: err.message, status: err.status }, 'unkey verifyKey (limits) failed');
      throw rateLimitsUnavailable();
    }
  }

  return {
    kind: 'unkey',

    async consume(limits: LimitSpec[], _now?: number, context?: ConsumeContext): Promise<LimitDecision> {
      assertValidSpecs(limits);
      if (limits.length === 0) return { allowed: true, states: [], charges: [] };
      const checks = limits.map((l) => unkeyCheckOf(l, prefix));
      const credential = options.keyVerifier && context?.credential?.();
      const results = credential
        ? await decideAtVerification(checks, credential)
        : (await ask(checks)).map(verdictOf);
      const now = clock();
      return decisionOf(limits, results, now);
    },

    // Unkey takes no negative cost: reservations stay counted at their full size (decision 021).
    async settle(charges: Charge[], deltas: number[]): Promise<void> {
      if (charges.length !== deltas.length) throw new TypeError('limiter: one delta per charge');
    },

    async peek(limits: LimitSpec[]): Promise<LimitState[]> {
      assertValidSpecs(limits);
      if (limits.length === 0) return [];
      const results = await ask(limits.map((l) => unkeyCheckOf(l, prefix, 0)));
      const now = clock();
      return limits.map((l, i) => stateOf(l, verdictOf(results[i] as RatelimitResult), now));
    },

    status: () => (failure ? { state: 'degraded', detail: `Unkey ratelimit: ${failure}` } : { state: 'ok' }),
    async close() {},
  };
}

/** One check's outcome, from multiLimit or from verifyKey's ratelimits. */
interface Verdict {
  passed: boolean;
  remaining: number;
  reset: number;
}

const verdictOf = (r: RatelimitResult): Verdict => ({
  passed: r.success,
  remaining: r.remaining,
  reset: r.reset,
});

/** Unkey's window for a spec: its length, within what Unkey accepts. */
function durationOf(spec: LimitSpec): number {
  return Math.min(MAX_DURATION, Math.max(MIN_DURATION, spec.windowMs));
}

/** Unkey did not answer: the request is refused (no per-instance fallback in this mode, decision 021). */
function rateLimitsUnavailable(): PortalError {
  return new PortalError({
    code: 'service_unavailable',
    message: 'Rate limits cannot be checked right now; please retry shortly.',
    headers: { 'retry-after': '5' },
  });
}

/** verifyKey codes that refuse the key itself, as the gateway's own key checks word them. */
const KEY_REFUSALS: Record<
  string,
  { code: 'key_revoked' | 'key_disabled' | 'key_expired'; message: string }
> = {
  NOT_FOUND: { code: 'key_revoked', message: 'This API key was revoked. Create a new key in the dashboard.' },
  DISABLED: { code: 'key_disabled', message: 'This API key was disabled by an administrator.' },
  EXPIRED: { code: 'key_expired', message: 'This API key has expired. Create a new key in the dashboard.' },
};

/** A key window's check (identifier `org:k:key`), as opposed to an organization's (`org:o`). */
const isKeyWindow = (c: RatelimitCheck) => c.identifier.includes(':k:');

/**
 * The verification at admission also answers for the key itself: deleted (revoked), disabled or expired at
 * Unkey since it was cached is refused on this request, on every instance (decision 021).
 */
function refuseUnusableKey(verified: VerifyKeyData): void {
  if (verified.valid || verified.code === 'RATE_LIMITED') return;
  const refusal = KEY_REFUSALS[verified.code];
  if (refusal) throw new PortalError(refusal);
  if (verified.code === 'USAGE_EXCEEDED')
    throw new PortalError({ code: 'insufficient_quota', message: 'This API key has no usage left.' });
  throw new PortalError({ code: 'invalid_api_key', message: 'Invalid API key.' });
}

function decisionOf(limits: LimitSpec[], results: Verdict[], now: number): LimitDecision {
  const at = (i: number): Verdict => {
    const r = results[i];
    if (!r) throw new Error(`unkey: no result for check ${i}`);
    return r;
  };
  const states = limits.map((l, i) => stateOf(l, at(i), now));
  const refused = limits.map((_, i) => i).filter((i) => !at(i).passed);
  if (refused.length === 0)
    return {
      allowed: true,
      states,
      charges: limits.map((l) => ({
        key: l.key,
        windowMs: l.windowMs,
        buckets: l.buckets ?? DEFAULT_BUCKETS,
        bucketStart: now,
        amount: l.cost,
      })),
    };
  const waits = refused.map((i) => retryAfter(limits[i] as LimitSpec, at(i), now));
  return {
    allowed: false,
    states,
    blockedBy: refused[0] as number,
    retryAfterMs: waits.some((w) => w === null) ? null : Math.max(...(waits as number[])),
  };
}

function stateOf(spec: LimitSpec, r: Pick<Verdict, 'remaining' | 'reset'>, now: number): LimitState {
  const remaining = Math.max(0, r.remaining);
  const used = Math.max(0, spec.limit - remaining);
  return {
    key: spec.key,
    limit: spec.limit,
    used,
    remaining,
    resetMs: used > 0 ? Math.max(0, r.reset - now) : 0,
  };
}

/**
 * When the refused request fits at the latest, if nothing else arrives: the window's reset, plus the part of
 * the next window during which the old window's weighted count still leaves no room for `cost`
 * (old count ≤ limit, weight falls linearly over one duration). Null when the cost exceeds the limit.
 */
function retryAfter(spec: LimitSpec, r: Verdict, now: number): number | null {
  if (spec.cost > spec.limit) return null;
  return Math.max(1, r.reset - now) + Math.ceil((durationOf(spec) * spec.cost) / spec.limit);
}

/**
 * The Unkey limiter (limits.provider = unkey, decision 021) against the fake Unkey over HTTP: how Portal's
 * counters become namespaces and identifiers, one multiLimit call per decision, what a refusal reports, peek
 * without charging, no settlement, and 503 while Unkey cannot answer.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUnkey, type FakeUnkey } from '#test/support/fake-unkey.js';
import { rejectionOf } from '#test/support/rejection.js';
import { createUnkeyLimiter, unkeyCheckOf } from '#src/platform/limiter/unkey.js';
import type { LimitSpec, Limiter } from '#src/platform/limiter/types.js';
import { PortalError } from '#src/platform/http/errors.js';
import { createUnkeyClient } from '#src/platform/unkey/client.js';

const MULTI = '/v2/ratelimit.multiLimit';
let fake: FakeUnkey;
let limiter: Limiter;
let n = 0;

beforeAll(async () => {
  fake = await startFakeUnkey({ rootKey: 'root_limiter_test', apiId: 'api_limiter_test' });
  limiter = createUnkeyLimiter({
    unkey: createUnkeyClient({ baseUrl: fake.url, rootKey: 'root_limiter_test', timeoutMs: 1_000 }),
    namespacePrefix: 'portal',
  });
});
afterAll(() => fake?.close());
beforeEach(() => {
  n++;
  fake.mode = 'up';
});

const org = () => `org_${n}`;
const rpm = (limit: number, cost = 1): LimitSpec => ({
  key: `rl:{${org()}}:k:key_1:rpm`,
  limit,
  windowMs: 60_000,
  cost,
});
const rpd = (limit: number, cost = 1): LimitSpec => ({
  key: `rl:{${org()}}:o:rpd`,
  limit,
  windowMs: 86_400_000,
  buckets: 1_440,
  cost,
});
const calls = () => fake.calls[MULTI] ?? 0;

describe('the Unkey limiter', () => {
  it('names a namespace per window and the counter subject as identifier', () => {
    expect(unkeyCheckOf(rpm(10), 'portal')).toEqual({
      namespace: 'portal.rpm',
      identifier: `${org()}:k:key_1`,
      limit: 10,
      duration: 60_000,
      cost: 1,
    });
    const authfail = { key: 'rl:{ip:ab12}:authfail', limit: 30, windowMs: 500, cost: 1 };
    expect(unkeyCheckOf(authfail, 'p', 0)).toMatchObject({
      namespace: 'p.authfail',
      identifier: 'ip:ab12',
      duration: 1_000, // Unkey's shortest window
      cost: 0,
    });
  });

  it('decides every limit of a request in one call and reports each window', async () => {
    const before = calls();
    const decision = await limiter.consume([rpm(10), rpd(100, 1)]);
    expect(calls() - before).toBe(1);
    expect(decision).toMatchObject({
      allowed: true,
      states: [
        { limit: 10, used: 1, remaining: 9 },
        { limit: 100, used: 1, remaining: 99 },
      ],
    });
  });

  it('a refusal names the first refusing limit and waits past reset by duration · cost / limit', async () => {
    await limiter.consume([rpm(2), rpd(1)]);
    const refused = await limiter.consume([rpm(2), rpd(1)]);
    if (refused.allowed) throw new Error('expected a refusal');
    expect(refused.blockedBy).toBe(1);
    // The organization's window refused; Unkey's rpm check passed on its own and was charged (decision 021).
    expect(refused.states[0]).toMatchObject({ used: 2, remaining: 0 });
    const toReset = 86_400_000 - (Date.now() % 86_400_000);
    expect(refused.retryAfterMs).toBeGreaterThan(toReset + 86_400_000 - 2_000);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(toReset + 86_400_000 + 1_000);
  });

  it('a request that can never fit gets no retry time', async () => {
    const refused = await limiter.consume([rpm(5, 6)]);
    expect(refused).toMatchObject({ allowed: false, retryAfterMs: null });
  });

  it('peek reads with cost 0 and charges nothing; settle gives nothing back and calls nobody', async () => {
    const decided = await limiter.consume([rpm(10, 4)]);
    if (!decided.allowed) throw new Error('expected an admission');
    expect(await limiter.peek([rpm(10)])).toMatchObject([{ used: 4, remaining: 6 }]);
    expect(await limiter.peek([rpm(10)])).toMatchObject([{ used: 4, remaining: 6 }]);
    const before = calls();
    await limiter.settle(decided.charges, [-3]);
    expect(calls()).toBe(before);
    expect(await limiter.peek([rpm(10)])).toMatchObject([{ used: 4 }]);
  });

  it('503 with retry-after while Unkey cannot answer, degraded status, ok again once it answers', async () => {
    for (const mode of ['down', 'error', 'throttled'] as const) {
      fake.mode = mode;
      const err = await rejectionOf(limiter.consume([rpm(10)]), PortalError);
      expect(err).toMatchObject({ code: 'service_unavailable', headers: { 'retry-after': '5' } });
      expect(limiter.status().state).toBe('degraded');
    }
    fake.mode = 'up';
    expect((await limiter.consume([rpm(10)])).allowed).toBe(true);
    expect(limiter.status()).toEqual({ state: 'ok' });
  });
});

describe('the Unkey limiter with Unkey keys (per-key windows at keys.verifyKey)', () => {
  const client = () =>
    createUnkeyClient({ baseUrl: fake.url, rootKey: 'root_limiter_test', timeoutMs: 1_000 });
  const withKeys = () =>
    createUnkeyLimiter({ unkey: client(), keyVerifier: client(), namespacePrefix: 'portal' });
  async function issued(limit: number) {
    const { key } = await client().createKey({
      apiId: 'api_limiter_test',
      prefix: 'ptl',
      ratelimits: [{ name: 'portal.rpm', limit, duration: 60_000, autoApply: false }],
    });
    return key;
  }

  it("decides the key's window at verifyKey and the organization's in multiLimit, in parallel", async () => {
    const key = await issued(2);
    const l = withKeys();
    const ctx = { credential: () => key };
    const verifies = () => fake.calls['/v2/keys.verifyKey'] ?? 0;
    const [v0, m0] = [verifies(), calls()];
    expect((await l.consume([rpm(2), rpd(100)], undefined, ctx)).allowed).toBe(true);
    expect([verifies() - v0, calls() - m0]).toEqual([1, 1]);
    expect((await l.consume([rpm(2), rpd(100)], undefined, ctx)).allowed).toBe(true);
    const refused = await l.consume([rpm(2), rpd(100)], undefined, ctx);
    expect(refused).toMatchObject({ allowed: false, blockedBy: 0 });
    expect(refused.states[0]).toMatchObject({ limit: 2, remaining: 0 });
    // The usage page's read (no key in hand) sees the mirrored count.
    expect((await l.peek([rpm(2)]))[0]).toMatchObject({ used: 2, remaining: 0 });
  });

  it('refuses a key deleted, disabled or expired at Unkey on the very next request', async () => {
    const key = await issued(100);
    const l = withKeys();
    const ctx = { credential: () => key };
    expect((await l.consume([rpm(100)], undefined, ctx)).allowed).toBe(true);
    const [atUnkey] = [...fake.keys.values()].filter((k) => k.ratelimits?.[0]?.limit === 100).slice(-1);
    atUnkey!.enabled = false;
    expect(await rejectionOf(l.consume([rpm(100)], undefined, ctx), PortalError)).toMatchObject({
      code: 'key_disabled',
    });
    atUnkey!.enabled = true;
    atUnkey!.expires = Date.now() - 1;
    expect(await rejectionOf(l.consume([rpm(100)], undefined, ctx), PortalError)).toMatchObject({
      code: 'key_expired',
    });
    atUnkey!.deleted = true;
    expect(await rejectionOf(l.consume([rpm(100)], undefined, ctx), PortalError)).toMatchObject({
      code: 'key_revoked',
    });
  });

  it('a key without attached ratelimits is decided by the multiLimit mirror; Unkey down is a 503', async () => {
    const { key } = await client().createKey({ apiId: 'api_limiter_test', prefix: 'ptl' });
    const l = withKeys();
    const ctx = { credential: () => key };
    expect((await l.consume([rpm(1)], undefined, ctx)).allowed).toBe(true);
    expect((await l.consume([rpm(1)], undefined, ctx)).allowed).toBe(false);
    fake.mode = 'error';
    expect(await rejectionOf(l.consume([rpm(1)], undefined, ctx), PortalError)).toMatchObject({
      code: 'service_unavailable',
    });
  });
});

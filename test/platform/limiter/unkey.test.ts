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

import { describe, expect, it } from 'vitest';
import { limitDenial, limitsFor, tightestWindows } from './limits.js';
import { eachRateLimitHeader, formatDuration, refusal } from './edge.js';
import type { KeyRecord } from './keys/verify.js';
import type { OrgPolicy } from './policy.js';

const key: KeyRecord = {
  id: 'key_1',
  orgId: 'org_1',
  name: 'ci',
  status: 'active',
  scopes: null,
  requestsPerMinute: 5,
  tokensPerMinute: null,
  expiresAt: null,
};
const policy: OrgPolicy = {
  orgId: 'org_1',
  status: 'active',
  plan: {
    id: 'free',
    name: 'Free',
    kind: 'free',
    requestsPerMinute: 20,
    tokensPerMinute: 40_000,
    requestsPerDay: 500,
    tokensPerDay: null,
    monthlyTokens: null,
  },
  models: { all: true, allow: new Set(), deny: new Set() },
};

describe('limitsFor', () => {
  it('takes the lower of the key and plan limits and skips unlimited ones', () => {
    const limits = limitsFor(key, policy, 300);
    expect(limits.map((l) => [l.name, l.spec.limit, l.spec.cost])).toEqual([
      ['requests_per_minute', 5, 1],
      ['tokens_per_minute', 40_000, 300],
      ['requests_per_day', 500, 1],
    ]);
  });

  it('puts every counter of one organization under its hash tag', () => {
    for (const l of limitsFor(key, policy, 1)) expect(l.spec.key).toMatch(/^rl:\{org_1\}:/);
  });
});

describe('limitDenial, as the edge renders it', () => {
  const limits = limitsFor(key, policy, 300);
  const states = limits.map((l) => ({
    key: l.spec.key,
    limit: l.spec.limit,
    used: l.spec.limit,
    remaining: 0,
    resetMs: 1500,
  }));

  it('says "slow down" with retry-after when a per-key window is full', () => {
    const err = refusal(
      limitDenial(limits, { allowed: false, states, blockedBy: 0, retryAfterMs: 1500 }, 'ci', 'Free'),
    );
    expect(err.code).toBe('rate_limit_exceeded');
    expect(err.status).toBe(429);
    expect(err.headers['retry-after']).toBe('2');
    expect(err.headers['retry-after-ms']).toBe('1500');
    expect(err.headers['x-ratelimit-remaining-requests']).toBe('0');
    expect(err.headers['x-should-retry']).toBe('true');
    expect(err.message).toContain('5 requests per minute');
  });

  it('says "out of allowance" with the time it frees up when the daily allowance is used', () => {
    const err = refusal(
      limitDenial(limits, { allowed: false, states, blockedBy: 2, retryAfterMs: 3_600_000 }, 'ci', 'Free', 0),
    );
    expect(err.code).toBe('insufficient_quota');
    expect(err.headers['x-should-retry']).toBe('false');
    expect(err.message).toContain('1970-01-01T01:00:00.000Z');
  });

  it('refuses a request that can never fit as a bad request naming max_tokens', () => {
    const err = refusal(
      limitDenial(limits, { allowed: false, states, blockedBy: 1, retryAfterMs: null }, 'ci', 'Free'),
    );
    expect(err.status).toBe(400);
    expect(err.param).toBe('max_tokens');
    expect(err.headers).toEqual({});
  });
});

describe('rate limit headers', () => {
  it('report the tightest request and token limits in OpenAI format', () => {
    const limits = limitsFor(key, policy, 300);
    const windows = tightestWindows(limits, [
      { key: 'a', limit: 5, used: 4, remaining: 1, resetMs: 59_000 },
      { key: 'b', limit: 40_000, used: 300, remaining: 39_700, resetMs: 59_000 },
      { key: 'c', limit: 500, used: 10, remaining: 490, resetMs: 80_000_000 },
    ]);
    const headers: Record<string, string> = {};
    eachRateLimitHeader(windows, (name, value) => (headers[name] = value));
    expect(headers).toEqual({
      'x-ratelimit-limit-requests': '5',
      'x-ratelimit-remaining-requests': '1',
      'x-ratelimit-reset-requests': '59s',
      'x-ratelimit-limit-tokens': '40000',
      'x-ratelimit-remaining-tokens': '39700',
      'x-ratelimit-reset-tokens': '59s',
    });
  });

  it.each([
    [0, '0s'],
    [20, '20ms'],
    [1000, '1s'],
    [360_000, '6m0s'],
    [3_723_000, '1h2m3s'],
  ])('formats %i ms as %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

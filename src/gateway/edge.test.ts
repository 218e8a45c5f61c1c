import { describe, expect, it } from 'vitest';
import { PortalError } from '../platform/http/errors.js';
import { UpstreamError } from '../inference/failures.js';
import { deny } from './denial.js';
import { eachRateLimitHeader, refusal } from './edge.js';

describe('refusal', () => {
  it('gives a 429 its retry-after in whole seconds (at least 1), retry-after-ms and the windows', () => {
    const err = refusal(
      deny('rate_limit_exceeded', 'slow down', {
        retryAfterMs: 1500,
        windows: { requests: { limit: 5, remaining: -2, resetMs: 1500 } },
        shouldRetry: true,
      }),
    );
    expect(err).toMatchObject({
      code: 'rate_limit_exceeded',
      status: 429,
      message: 'slow down',
      param: null,
    });
    expect(err.headers).toEqual({
      'x-ratelimit-limit-requests': '5',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '2s',
      'retry-after': '2',
      'retry-after-ms': '1500',
      'x-should-retry': 'true',
    });
  });

  it('reports only the reset of a window whose limit and remainder it does not know (the auth guard)', () => {
    const err = refusal(
      deny('rate_limit_exceeded', 'too many failures', {
        retryAfterMs: 20,
        windows: { requests: { resetMs: 20 } },
      }),
    );
    expect(err.headers).toEqual({
      'x-ratelimit-reset-requests': '20ms',
      'retry-after': '1',
      'retry-after-ms': '20',
    });
  });

  it('gives an upstream failure its retry-after alone, in seconds', () => {
    const upstream = new UpstreamError({
      code: 'upstream_unavailable',
      message: 'busy',
      retryAfterMs: 30_000,
    });
    const err = refusal(upstream);
    expect(err).toMatchObject({ code: 'upstream_unavailable', status: 503, message: 'busy' });
    expect(err.headers).toEqual({ 'retry-after': '30' });
  });

  it('passes any other PortalError through as it is, and a refusal without a wait gets no retry header', () => {
    const other = new PortalError({ code: 'upstream_timeout', message: 'late', headers: { 'x-a': 'b' } });
    expect(refusal(other)).toBe(other);
    const noWait = new UpstreamError({ code: 'upstream_error', message: 'failed' });
    expect(refusal(noWait)).toBe(noWait);
    expect(refusal(deny('insufficient_quota', 'no credit', { shouldRetry: false })).headers).toEqual({
      'x-should-retry': 'false',
    });
    expect(refusal(deny('model_not_found', 'no such model', { param: 'model' }))).toMatchObject({
      param: 'model',
      headers: {},
    });
  });
});

describe('eachRateLimitHeader', () => {
  it('writes the request window before the token window, and nothing for a window not reported', () => {
    const written: string[] = [];
    eachRateLimitHeader({ tokens: { limit: 100, remaining: 40, resetMs: 61_000 } }, (name, value) =>
      written.push(`${name}: ${value}`),
    );
    expect(written).toEqual([
      'x-ratelimit-limit-tokens: 100',
      'x-ratelimit-remaining-tokens: 40',
      'x-ratelimit-reset-tokens: 1m1s',
    ]);
  });
});

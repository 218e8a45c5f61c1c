/**
 * Sliding-window limits through the gateway: exactly N of N+1 concurrent requests pass, the refusal says
 * when to retry, and over a long randomized run no window of the limit's length ever holds more than N
 * admitted requests — with the in-memory limiter and with Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPortal, type TestPortal } from '../support/portal.js';
import { upsertPlan } from '../support/fixtures.js';
import { hasService } from '../support/services.js';
import { maxAdmittedInAnyWindow, randomLoad } from '../support/limit-check.js';

const WINDOW_MS = 2_000;
const modes = [{ name: 'memory limiter', redisUrl: undefined as string | undefined }];
if (hasService('redis')) modes.push({ name: 'Redis limiter', redisUrl: process.env.REDIS_URL });
else console.warn('SKIPPED Redis variant of gateway limit tests — REDIS_URL is not set');

const call = (url: string, key: string, body: Record<string, unknown> = {}) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'oss-20b',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 8,
      ...body,
    }),
  });

describe.each(modes)('limits with the $name', ({ redisUrl }) => {
  let t: TestPortal;
  beforeAll(async () => {
    t = await startTestPortal({ redisUrl, config: { gateway: { rateWindowMs: WINDOW_MS } } });
    await upsertPlan(t.store, 'limited', { rpm: 1000, tpm: 10_000_000, rpd: 100_000 });
  });
  afterAll(() => t?.close());

  it('N concurrent requests pass and the N+1th gets 429 with retry-after', async () => {
    const { key } = await t.account({ plan: 'limited', key: { requestsPerMinute: 10 } });
    const results = await Promise.all(Array.from({ length: 11 }, () => call(t.url, key)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    const refused = results.find((r) => r.status === 429)!;
    // The window is exact up to one sub-bucket (shared/limits.md): the wait is at most W + W/60.
    const waitMs = Number(refused.headers.get('retry-after-ms'));
    expect(waitMs).toBeGreaterThan(0);
    expect(waitMs).toBeLessThanOrEqual(WINDOW_MS + WINDOW_MS / 60);
    expect(refused.headers.get('retry-after')).toBe(String(Math.max(1, Math.ceil(waitMs / 1000))));
    expect(refused.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    const body = (await refused.json()) as { error: { code: string; type: string } };
    expect(body.error).toMatchObject({ code: 'rate_limit_exceeded', type: 'rate_limit_error' });
  });

  it('the window frees up after retry-after', async () => {
    const { key } = await t.account({ plan: 'limited', key: { requestsPerMinute: 2 } });
    await Promise.all([call(t.url, key), call(t.url, key)]);
    const refused = await call(t.url, key);
    expect(refused.status).toBe(429);
    await new Promise((r) => setTimeout(r, Number(refused.headers.get('retry-after-ms')) + 50));
    expect((await call(t.url, key)).status).toBe(200);
  });

  it('token limits reserve max_tokens at admission, so concurrent requests cannot overshoot', async () => {
    const { key } = await t.account({ plan: 'limited', key: { tokensPerMinute: 1000 } });
    // Each request reserves its prompt (~11 tokens) + 200: at most 4 fit in 1,000.
    const results = await Promise.all(Array.from({ length: 8 }, () => call(t.url, key, { max_tokens: 200 })));
    const passed = results.filter((r) => r.status === 200).length;
    expect(passed).toBe(4);
    const refused = results.find((r) => r.status === 429)!;
    expect(refused.headers.get('x-ratelimit-limit-tokens')).toBe('1000');
  });

  it('the daily allowance answers insufficient_quota with when it frees up, and says not to retry', async () => {
    await upsertPlan(t.store, 'daily3', { rpd: 3 });
    const { key } = await t.account({ plan: 'daily3' });
    for (let i = 0; i < 3; i++) expect((await call(t.url, key)).status).toBe(200);
    const refused = await call(t.url, key);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-should-retry')).toBe('false');
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('insufficient_quota');
    expect(body.error.message).toMatch(/frees up at \d{4}-\d\d-\d\dT/);
  });

  it('over a long randomized run, no window ever holds more than N admitted requests', async () => {
    const N = 8;
    const { key } = await t.account({ plan: 'limited', key: { requestsPerMinute: N } });
    const samples = await randomLoad(async () => (await call(t.url, key)).status, {
      workers: 6,
      durationMs: 9_000,
      maxGapMs: 250,
    });
    const admitted = samples.filter((s) => s.status === 200).length;
    expect(samples.every((s) => s.status === 200 || s.status === 429)).toBe(true);
    expect(admitted).toBeGreaterThanOrEqual(N * 3); // the windows kept freeing up: not a lock-out
    expect(maxAdmittedInAnyWindow(samples, WINDOW_MS)).toBeLessThanOrEqual(N);
  });
});

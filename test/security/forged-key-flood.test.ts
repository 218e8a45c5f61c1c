/**
 * Finding Medium 5 (issue #10): unauthenticated load on /v1. Forged keys with a valid checksum each cost a
 * store lookup (an outbound call in Unkey mode), every 401 became a request_logs row kept forever, and misses
 * pushed real keys out of the key cache. Now: an IP past N failed authentications in a window gets 429
 * before any lookup; 401s are counted in metrics, not rows; negative entries live in their own bounded LRU;
 * request logs are deleted after `metering.requestLogRetentionDays`.
 */
import { describe, expect, it } from 'vitest';
import { usePortal } from '../support/harness.js';
import { chatBody, errorOf } from '../support/http.js';
import { generateKey } from '#src/gateway/keys/format.js';
import { TtlCache } from '#src/gateway/keys/cache.js';
import { sweepOldRequestLogs } from '#src/platform/metering/retention.js';

const LIMIT = 5;

describe('forged-key floods', () => {
  const t = usePortal({ config: { gateway: { authFailureLimit: LIMIT } } });
  const call = (key: string) => t.as(key).post('/v1/chat/completions', chatBody({ max_tokens: 4 }));

  it('an IP past N failed authentications gets 429 with retry-after, without a store lookup', async () => {
    const keys = t.services.gateway.keys;
    for (let i = 0; i < LIMIT; i++) expect((await call(generateKey().key)).status).toBe(401);
    const missesBefore = keys.stats().misses;
    const refused = await call(generateKey().key);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await errorOf(refused)).toMatchObject({ code: 'rate_limit_exceeded', type: 'rate_limit_error' });
    expect(keys.stats().misses).toBe(missesBefore);
  });

  it('401s leave no request-log rows and are counted in metrics', async () => {
    await t.services.metering.flush();
    const rows = await t.store.query<{ n: number }>(
      `select count(*)::int as n from request_logs where key_id is null`,
    );
    expect(rows[0]!.n).toBe(0);
    const metrics = await (await t.admin.get('/metrics')).text();
    expect(metrics).toMatch(/portal_gateway_auth_failures_total\{code="invalid_api_key"\} [1-9]/);
  });
});

describe('the key cache under forged keys', () => {
  it('misses never evict valid keys', async () => {
    const loads: string[] = [];
    const cache = new TtlCache<string>({
      ttlMs: 60_000,
      negativeTtlMs: 5_000,
      maxEntries: 10,
      load: async (key) => (loads.push(key), key.startsWith('valid') ? key : undefined),
    });
    for (let i = 0; i < 10; i++) await cache.get(`valid-${i}`);
    for (let i = 0; i < 1_000; i++) await cache.get(`forged-${i}`);
    loads.length = 0;
    for (let i = 0; i < 10; i++) expect(await cache.get(`valid-${i}`)).toBe(`valid-${i}`);
    expect(loads).toEqual([]);
  });
});

describe('request-log retention', () => {
  const t = usePortal();

  it('deletes logs older than the retention in bounded batches, keeps newer ones', async () => {
    const insert = (id: string, daysAgo: number) =>
      t.store.query(
        `insert into request_logs (request_id, occurred_at, endpoint, method, stream, status, latency_ms, input_tokens, output_tokens)
         values ($1, now() - make_interval(days => $2), '/v1/chat/completions', 'POST', false, 200, 1, 0, 0)`,
        [id, daysAgo],
      );
    for (let i = 0; i < 25; i++) await insert(`old-${i}`, 40);
    await insert('new-1', 1);
    const deleted = await sweepOldRequestLogs(t.store.query, new Date(Date.now() - 30 * 86_400_000), 10);
    expect(deleted).toBe(25);
    const left = await t.store.query<{ request_id: string }>(`select request_id from request_logs`);
    expect(left.map((r) => r.request_id)).toContain('new-1');
    expect(left.some((r) => r.request_id.startsWith('old-'))).toBe(false);
  });
});

/**
 * /metrics as an operator reads it: real requests through a running Portal change the scraped text —
 * requests by model, endpoint, status, error code and stream; duration and time to first token by model;
 * upstream errors by router; limiter decisions by window; key-cache hits and misses; queue, spool and bus.
 */
import { describe, expect, it, vi } from 'vitest';
import { steadySimEach, usePortal } from '#test/support/harness.js';
import { describeWith } from '#test/support/services.js';
import { chatBody } from '#test/support/http.js';
import { scrape, value, type Scraped } from '#test/support/prometheus.js';

const CHAT = { endpoint: '/v1/chat/completions' };

describe('/metrics after real /v1 requests', () => {
  const t = usePortal();
  steadySimEach(t, 4);

  /** Scrapes until `check` holds: a request is counted right after its answer (a stream once it ended). */
  async function scrapedWhen(check: (s: Scraped) => boolean): Promise<Scraped> {
    return vi.waitFor(
      async () => {
        const s = await scrape(t.admin);
        if (!check(s)) throw new Error('not yet');
        return s;
      },
      { timeout: 5_000, interval: 20 },
    );
  }

  it('counts a streamed and a whole answer by model, status and stream, with duration and TTFT', async () => {
    const { key } = await t.account({ plan: 'pro' });
    const ok = { ...CHAT, model: 'oss-20b', status: '200', error_code: 'none' };
    const before = await scrape(t.admin);
    const whole = await t.as(key).post('/v1/chat/completions', chatBody());
    expect(whole.status).toBe(200);
    const streamed = await t.as(key).post('/v1/chat/completions', chatBody({ stream: true }));
    expect(streamed.status).toBe(200);
    await streamed.text();
    const after = await scrapedWhen(
      (s) =>
        value(s, 'portal_requests_total', { ...ok, stream: 'true' }) >
        value(before, 'portal_requests_total', { ...ok, stream: 'true' }),
    );
    const delta = (name: string, labels: Record<string, string>) =>
      value(after, name, labels) - value(before, name, labels);
    expect(delta('portal_requests_total', { ...ok, stream: 'false' })).toBe(1);
    expect(delta('portal_requests_total', { ...ok, stream: 'true' })).toBe(1);
    expect(delta('portal_request_duration_seconds_count', { model: 'oss-20b' })).toBe(2);
    expect(delta('portal_request_duration_seconds_bucket', { model: 'oss-20b', le: '+Inf' })).toBe(2);
    expect(delta('portal_time_to_first_token_seconds_count', { model: 'oss-20b' })).toBe(1);
    expect(
      delta('portal_limiter_decisions_total', { decision: 'allowed', window: 'all' }),
    ).toBeGreaterThanOrEqual(2);
    expect(after.text).toMatch(/portal_request_duration_seconds_bucket\{model="oss-20b",le="0.05"\} \d+/);
  });

  it('labels a model the catalog does not know "other", with the closed error code', async () => {
    const { key } = await t.account();
    const before = await scrape(t.admin);
    const res = await t.as(key).post('/v1/chat/completions', chatBody({ model: 'no-such-model-x1' }));
    expect(res.status).toBe(404);
    const labels = { ...CHAT, model: 'other', status: '404', error_code: 'model_not_found', stream: 'false' };
    const after = await scrapedWhen(
      (s) => value(s, 'portal_requests_total', labels) > value(before, 'portal_requests_total', labels),
    );
    expect(
      value(after, 'portal_requests_total', labels) - value(before, 'portal_requests_total', labels),
    ).toBe(1);
    expect(after.text).not.toContain('no-such-model-x1');
  });

  it('counts a limiter refusal by its window and the 429 by its code', async () => {
    const { key } = await t.account({ plan: 'pro', key: { requestsPerMinute: 1 } });
    const before = await scrape(t.admin);
    expect((await t.as(key).post('/v1/chat/completions', chatBody())).status).toBe(200);
    expect((await t.as(key).post('/v1/chat/completions', chatBody())).status).toBe(429);
    const limited = { ...CHAT, model: 'oss-20b', status: '429', error_code: 'rate_limit_exceeded' };
    const after = await scrapedWhen(
      (s) => value(s, 'portal_requests_total', limited) > value(before, 'portal_requests_total', limited),
    );
    const denied = { backend: 'memory', decision: 'denied', window: 'rpm' };
    expect(value(after, 'portal_limiter_decisions_total', denied)).toBe(
      value(before, 'portal_limiter_decisions_total', denied) + 1,
    );
  });

  it('counts upstream errors by pool, router and kind', async () => {
    const { key } = await t.account({ plan: 'pro' });
    const router = { pool: 'test-pool', router: 'test-pool-r1', kind: 'error' };
    const before = await scrape(t.admin);
    t.sim.configure({ errorRate: 1, errorStatus: 500 });
    const res = await t.as(key).post('/v1/chat/completions', chatBody());
    expect(res.status).toBeGreaterThanOrEqual(500);
    const after = await scrapedWhen(
      (s) =>
        value(s, 'portal_requests_total', { status: String(res.status) }) >
        value(before, 'portal_requests_total', { status: String(res.status) }),
    );
    expect(value(after, 'portal_upstream_errors_total', router)).toBeGreaterThan(
      value(before, 'portal_upstream_errors_total', router),
    );
  });

  it('reads key-cache hits and misses, queue, spool and bus state when scraped', async () => {
    const { key } = await t.account({ plan: 'pro' });
    const before = await scrape(t.admin);
    await t.as(key).post('/v1/chat/completions', chatBody()); // a miss: the key is loaded from the store
    await t.as(key).post('/v1/chat/completions', chatBody()); // a hit
    const after = await scrape(t.admin);
    expect(value(after, 'portal_key_cache_misses_total')).toBe(
      value(before, 'portal_key_cache_misses_total') + 1,
    );
    expect(value(after, 'portal_key_cache_hits_total')).toBeGreaterThanOrEqual(
      value(before, 'portal_key_cache_hits_total') + 1,
    );
    expect(value(after, 'portal_key_cache_entries')).toBeGreaterThanOrEqual(1);
    expect(value(after, 'portal_bus_connected')).toBe(1);
    expect(value(after, 'portal_metering_store_up')).toBe(1);
    for (const gauge of [
      'portal_metering_queue_depth',
      'portal_metering_spool_bytes',
      'portal_metering_spool_segments',
    ])
      expect(after.samples.some((s) => s.name === gauge)).toBe(true);
  });
});

describeWith(['redis'], '/metrics with the Redis limiter', () => {
  const t = usePortal({ redis: true });
  steadySimEach(t, 4);

  it('counts a shared-limit refusal as backend redis, decision denied, window rpm', async () => {
    const { key } = await t.account({ plan: 'pro', key: { requestsPerMinute: 1 } });
    const denied = { backend: 'redis', decision: 'denied', window: 'rpm' };
    const before = await scrape(t.admin);
    expect((await t.as(key).post('/v1/chat/completions', chatBody())).status).toBe(200);
    expect((await t.as(key).post('/v1/chat/completions', chatBody())).status).toBe(429);
    const after = await scrape(t.admin);
    expect(value(after, 'portal_limiter_decisions_total', denied)).toBe(
      value(before, 'portal_limiter_decisions_total', denied) + 1,
    );
    expect(value(after, 'portal_limiter_degraded')).toBe(0);
    expect(value(after, 'portal_bus_connected')).toBe(1);
  });
});

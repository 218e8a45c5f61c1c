/**
 * The soak tells local-fallback decisions from shared ones by reading each instance's /metrics
 * (bench/soak/limiter-watch.ts): read here from a real registry the limiter writes to, so a renamed metric
 * or label breaks this test instead of silently classing every window as "Redis up".
 */
import { describe, expect, it } from 'vitest';
import client from 'prom-client';
import { limiterMetrics } from '#src/platform/limiter/metrics.js';
import { readLimiterMetrics, scrapeLimiter } from '#bench/soak/limiter-watch.js';
import { ADMIN_TOKEN, usePortal } from '#test/support/harness.js';
import { chatBody } from '#test/support/http.js';

it('counts local-fallback decisions (allowed and denied) and reads the degraded gauge', async () => {
  const registry = new client.Registry();
  const metrics = limiterMetrics(registry);
  metrics.decision('redis', 'allowed', 'all');
  metrics.decision('redis', 'denied', 'rpm');
  expect(readLimiterMetrics(await registry.metrics())).toEqual({ local: 0, degraded: false });

  metrics.decision('local', 'allowed', 'all');
  metrics.decision('local', 'allowed', 'all');
  metrics.decision('local', 'denied', 'rpm');
  metrics.degraded.set(1);
  expect(readLimiterMetrics(await registry.metrics())).toEqual({ local: 3, degraded: true });
});

describe('a running Portal', () => {
  const t = usePortal();
  it("is scraped with the admin token on its main port (what the soak's watcher does per instance)", async () => {
    const { key } = await t.account();
    expect((await t.as(key).post('/v1/chat/completions', chatBody())).status).toBe(200);
    expect(await scrapeLimiter(t.url, ADMIN_TOKEN)).toEqual({ local: 0, degraded: false });
    expect(await scrapeLimiter(t.url, 'not-the-admin-token-0123456789abcdef')).toBeUndefined();
  });
});

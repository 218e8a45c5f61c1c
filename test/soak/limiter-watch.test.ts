/**
 * The soak tells local-fallback decisions from shared ones by reading each instance's /metrics
 * (bench/soak/limiter-watch.ts): read here from a real registry the limiter writes to, so a renamed metric
 * or label breaks this test instead of silently classing every window as "Redis up".
 */
import { expect, it } from 'vitest';
import client from 'prom-client';
import { limiterMetrics } from '#src/platform/limiter/metrics.js';
import { readLimiterMetrics } from '#bench/soak/limiter-watch.js';

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

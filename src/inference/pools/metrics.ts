/** Prometheus instruments of the inference layer: upstream attempts, their latency, breakers, in-flight. */
import client from 'prom-client';
import type { Metrics } from '#src/platform/metrics.js';
import type { Fleet } from './fleet.js';

export interface InferenceMetrics {
  attempts: client.Counter<'pool' | 'router' | 'outcome'>;
  /** Failed attempts by kind (error, timeout, unavailable): the failure path only, never a successful call. */
  errors: client.Counter<'pool' | 'router' | 'kind'>;
  latency: client.Histogram<'pool' | 'router'>;
}

function reuse<T extends client.Metric>(registry: client.Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

export function createInferenceMetrics(metrics: Metrics, fleet: () => Fleet | undefined): InferenceMetrics {
  const registers = [metrics.registry];
  const BREAKER_VALUE = { closed: 0, half_open: 1, open: 2 } as const;
  reuse(
    metrics.registry,
    'portal_upstream_breaker_state',
    () =>
      new client.Gauge({
        name: 'portal_upstream_breaker_state',
        help: 'Circuit breaker per router: 0 closed, 1 half-open, 2 open',
        labelNames: ['pool', 'router'],
        registers,
        collect() {
          this.reset();
          const now = Date.now();
          for (const r of fleet()?.routers() ?? [])
            this.set({ pool: r.pool.id, router: r.record.id }, BREAKER_VALUE[r.breaker.state(now)]);
        },
      }),
  );
  reuse(
    metrics.registry,
    'portal_upstream_in_flight',
    () =>
      new client.Gauge({
        name: 'portal_upstream_in_flight',
        help: 'Requests in flight per router',
        labelNames: ['pool', 'router'],
        registers,
        collect() {
          this.reset();
          for (const r of fleet()?.routers() ?? [])
            this.set({ pool: r.pool.id, router: r.record.id }, r.inFlight);
        },
      }),
  );
  return {
    attempts: reuse(
      metrics.registry,
      'portal_upstream_attempts_total',
      () =>
        new client.Counter({
          name: 'portal_upstream_attempts_total',
          help: 'Upstream attempts by outcome (ok, error, timeout, unavailable, aborted)',
          labelNames: ['pool', 'router', 'outcome'],
          registers,
        }),
    ),
    errors: reuse(
      metrics.registry,
      'portal_upstream_errors_total',
      () =>
        new client.Counter({
          name: 'portal_upstream_errors_total',
          help: 'Failed upstream attempts by pool, router and kind (error, timeout, unavailable)',
          labelNames: ['pool', 'router', 'kind'],
          registers,
        }),
    ),
    latency: reuse(
      metrics.registry,
      'portal_upstream_latency_seconds',
      () =>
        new client.Histogram({
          name: 'portal_upstream_latency_seconds',
          help: 'Time to an upstream answer (non-streamed) or to its stream opening',
          labelNames: ['pool', 'router'],
          buckets: [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60],
          registers,
        }),
    ),
  };
}

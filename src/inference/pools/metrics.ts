/** Prometheus instruments of the inference layer: upstream attempts, their latency, breakers, in-flight. */
import client from 'prom-client';
import type { Metrics } from '#src/platform/metrics.js';
import {
  slotCounter,
  slotHistogram,
  type CounterSlot,
  type HistogramSlot,
  type SlotCounter,
  type SlotHistogram,
} from '#src/platform/metrics-slots.js';
import type { Fleet, RouterRuntime } from './fleet.js';

/** A router's slots on the success path: its `ok` attempts and its latency. */
export interface SuccessSlots {
  ok: CounterSlot;
  latency: HistogramSlot;
}

/**
 * Attempts, errors and latency are slot metrics (src/platform/metrics-slots.ts): a successful call adds to its
 * router's slots, resolved once per router (`successOf`) instead of prom-client hashing a label object twice per
 * request; the failure path resolves its slot by labels.
 */
export interface InferenceMetrics {
  attempts: SlotCounter;
  /** Failed attempts by kind (error, timeout, unavailable): the failure path only, never a successful call. */
  errors: SlotCounter;
  latency: SlotHistogram;
  successOf(router: RouterRuntime): SuccessSlots;
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
  const attempts = slotCounter(
    metrics.registry,
    'portal_upstream_attempts_total',
    'Upstream attempts by outcome (ok, error, timeout, unavailable, aborted)',
    ['pool', 'router', 'outcome'],
  );
  const latency = slotHistogram(
    metrics.registry,
    'portal_upstream_latency_seconds',
    'Time to an upstream answer (non-streamed) or to its stream opening',
    ['pool', 'router'],
    [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60],
  );
  const success = new WeakMap<RouterRuntime, SuccessSlots>();
  return {
    attempts,
    errors: slotCounter(
      metrics.registry,
      'portal_upstream_errors_total',
      'Failed upstream attempts by pool, router and kind (error, timeout, unavailable)',
      ['pool', 'router', 'kind'],
    ),
    latency,
    successOf(router) {
      let slots = success.get(router);
      if (!slots) {
        const labels = { pool: router.pool.id, router: router.record.id };
        slots = { ok: attempts.slot({ ...labels, outcome: 'ok' }), latency: latency.slot(labels) };
        success.set(router, slots);
      }
      return slots;
    },
  };
}

/**
 * Prometheus metrics: one registry per process, served on /metrics. Modules register their own instruments
 * through `metrics.registry`; the HTTP layer records request counts and durations.
 */
import client from 'prom-client';
import {
  slotCounter,
  slotHistogram,
  type CounterSlot,
  type HistogramSlot,
  type SlotCounter,
  type SlotHistogram,
} from './metrics-slots.js';

export interface Metrics {
  registry: client.Registry;
  httpRequests: SlotCounter;
  httpDuration: SlotHistogram;
}

export function createMetrics(): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: slotCounter(registry, 'portal_http_requests_total', 'HTTP requests by route and status', [
      'route',
      'status',
    ]),
    httpDuration: slotHistogram(
      registry,
      'portal_http_request_duration_seconds',
      'HTTP request duration (to the last byte of the body, for streams to their end)',
      ['route'],
      [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120],
    ),
  };
}

interface RouteSlots {
  duration: HistogramSlot;
  byStatus: Map<number, CounterSlot>;
}

/**
 * Records one HTTP answer: its count by route and status, its duration by route. Slots are resolved once per
 * route and status (prom-client's `inc(labels)` and `observe(labels, v)` hashed the label objects on every
 * request); both are bounded by Portal's own route labels and the HTTP status codes, never by client input.
 */
export function httpRecorder(metrics: Metrics): (route: string, status: number, seconds: number) => void {
  const routes = new Map<string, RouteSlots>();
  return (route, status, seconds) => {
    let slots = routes.get(route);
    if (!slots) {
      slots = { duration: metrics.httpDuration.slot({ route }), byStatus: new Map() };
      routes.set(route, slots);
    }
    let counter = slots.byStatus.get(status);
    if (!counter) {
      counter = metrics.httpRequests.slot({ route, status: String(status) });
      slots.byStatus.set(status, counter);
    }
    counter.value++;
    metrics.httpDuration.observe(slots.duration, seconds);
  };
}

/** A gauge whose value is read from `read` when Prometheus scrapes, never set per request. */
export function scrapedGauge(registry: client.Registry, name: string, help: string, read: () => number) {
  return new client.Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}

/** What the scrape-time gauges read: nothing here is recorded per request. */
export interface StateSources {
  /** The gateway's key cache (hits and misses since start, entries now). */
  keyCache(): { size: number; hits: number; misses: number };
  /** The change bus: `ok`, or `degraded` while its transport is down. */
  bus(): { state: 'ok' | 'degraded' };
}

/**
 * Registers the instruments that read service state when Prometheus scrapes: key-cache hits, misses and
 * entries, and whether the change bus is connected.
 */
export function registerStateGauges(metrics: Metrics, sources: StateSources) {
  const registers = [metrics.registry];
  const total = (name: string, help: string, read: () => number) =>
    new client.Counter({
      name,
      help,
      registers,
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  const gauge = (name: string, help: string, read: () => number) =>
    scrapedGauge(metrics.registry, name, help, read);
  total(
    'portal_key_cache_hits_total',
    'Key lookups answered from memory (a valid key or a cached "not found")',
    () => sources.keyCache().hits,
  );
  total(
    'portal_key_cache_misses_total',
    'Key lookups that went to the store (or Unkey)',
    () => sources.keyCache().misses,
  );
  gauge('portal_key_cache_entries', 'Keys held in the gateway key cache', () => sources.keyCache().size);
  gauge(
    'portal_bus_connected',
    '1 while the change bus delivers (always for the in-memory bus), 0 while caches rely on their TTLs',
    () => (sources.bus().state === 'ok' ? 1 : 0),
  );
}

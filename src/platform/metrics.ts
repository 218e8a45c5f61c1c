/**
 * Prometheus metrics: one registry per process, served on /metrics. Modules register their own instruments
 * through `metrics.registry`; the HTTP layer records request counts and durations.
 */
import client from 'prom-client';

export interface Metrics {
  registry: client.Registry;
  httpRequests: client.Counter<'route' | 'status'>;
  httpDuration: client.Histogram<'route'>;
}

export function createMetrics(): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new client.Counter({
      name: 'portal_http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['route', 'status'],
      registers: [registry],
    }),
    httpDuration: new client.Histogram({
      name: 'portal_http_request_duration_seconds',
      help: 'HTTP request duration (to the last byte of the body, for streams to their end)',
      labelNames: ['route'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120],
      registers: [registry],
    }),
  };
}

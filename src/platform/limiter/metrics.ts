/** The limiter's Prometheus instruments, registered once per registry (several limiters may share one). */
import client from 'prom-client';
import type { LimitDecision } from './types.js';

export interface LimiterMetrics {
  decisions: client.Counter<'backend' | 'outcome'>;
  degraded: client.Gauge;
  redisErrors: client.Counter;
}

export function limiterMetrics(registry: client.Registry): LimiterMetrics {
  return {
    decisions: reuse(registry, 'portal_limiter_decisions_total', (name) => {
      return new client.Counter({
        name,
        help: 'Limiter decisions by backend (redis, local fallback, memory) and outcome',
        labelNames: ['backend', 'outcome'],
        registers: [registry],
      });
    }),
    degraded: reuse(registry, 'portal_limiter_degraded', (name) => {
      return new client.Gauge({
        name,
        help: '1 while Redis is unreachable and the limiter decides per instance (or refuses)',
        registers: [registry],
      });
    }),
    redisErrors: reuse(registry, 'portal_limiter_redis_errors_total', (name) => {
      return new client.Counter({ name, help: 'Limiter calls to Redis that failed', registers: [registry] });
    }),
  };
}

export function countDecision(
  metrics: LimiterMetrics | undefined,
  backend: 'redis' | 'local' | 'memory',
  decision: LimitDecision,
) {
  metrics?.decisions.inc({ backend, outcome: decision.allowed ? 'allowed' : 'refused' });
}

function reuse<M extends client.Metric>(
  registry: client.Registry,
  name: string,
  make: (name: string) => M,
): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? make(name);
}

/**
 * The limiter's Prometheus instruments, registered once per registry (several limiters may share one).
 * Decisions are counted per request on the hot path, so their label sets are resolved once into slots
 * (metrics-slots.ts): backend × decision × window, the window being the suffix of the refusing limit's key
 * from a closed list (`other` for anything else — a key is never a label).
 */
import client from 'prom-client';
import { slotCounter, type CounterSlot } from '../metrics-slots.js';
import type { LimitDecision, LimitSpec } from './types.js';

export type LimiterBackend = 'redis' | 'local' | 'memory';
type Verdict = 'allowed' | 'denied' | 'unavailable';

/** Windows by the suffix of their counter key (gateway/limits.ts, gateway/auth-guard.ts). */
const WINDOWS = ['rpm', 'tpm', 'rpd', 'tpd', 'tpmo', 'authfail'] as const;
const WINDOW_SUFFIXES = WINDOWS.map((w) => `:${w}`);
/** `all` on an allowed decision, `none` when no store decided, `other` for a key of no known window. */
const WINDOW_LABELS = [...WINDOWS, 'all', 'none', 'other'] as const;
type WindowLabel = (typeof WINDOW_LABELS)[number];
const WINDOW_INDEX = Object.fromEntries(WINDOW_LABELS.map((w, i) => [w, i])) as Record<WindowLabel, number>;
const BACKENDS: Record<LimiterBackend, number> = { redis: 0, local: 1, memory: 2 };
const VERDICTS: Record<Verdict, number> = { allowed: 0, denied: 1, unavailable: 2 };

export interface LimiterMetrics {
  /** Adds one decision; `window` is `all` for an allowed one, `none` when no store could decide. */
  decision(backend: LimiterBackend, verdict: Verdict, window: WindowLabel): void;
  degraded: client.Gauge;
  redisErrors: client.Counter;
}

export function limiterMetrics(registry: client.Registry): LimiterMetrics {
  const decisions = slotCounter(
    registry,
    'portal_limiter_decisions_total',
    'Limiter decisions by backend (redis, local fallback, memory), decision (allowed, denied, unavailable) and the window that denied',
    ['backend', 'decision', 'window'],
  );
  // backend × verdict × window, resolved on first use; indexes, not key strings, so no allocation per call.
  const slots: Array<CounterSlot | undefined> = [];
  return {
    decision(backend, verdict, window) {
      const i = (BACKENDS[backend] * 3 + VERDICTS[verdict]) * WINDOW_LABELS.length + WINDOW_INDEX[window];
      (slots[i] ??= decisions.slot({ backend, decision: verdict, window })).value++;
    },
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
  backend: LimiterBackend,
  decision: LimitDecision,
  limits: LimitSpec[],
) {
  if (!metrics) return;
  if (decision.allowed) metrics.decision(backend, 'allowed', 'all');
  else metrics.decision(backend, 'denied', windowOf(limits[decision.blockedBy]?.key));
}

function windowOf(key: string | undefined): WindowLabel {
  if (key !== undefined)
    for (let i = 0; i < WINDOWS.length; i++)
      if (key.endsWith(WINDOW_SUFFIXES[i] as string)) return WINDOWS[i] as WindowLabel;
  return 'other';
}

function reuse<M extends client.Metric>(
  registry: client.Registry,
  name: string,
  make: (name: string) => M,
): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? make(name);
}

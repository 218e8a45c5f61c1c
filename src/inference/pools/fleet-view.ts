/**
 * The fleet as the admin API shows it: pools with their routers' configuration and run-time health (breaker,
 * in-flight, latency EWMA, cooldown, last probe). Never on the request path.
 */
import type { BreakerSnapshot } from './breaker.js';
import type { RouterRuntime } from './fleet.js';
import type { PoolRecord, RouterRecord } from './store.js';

export interface RouterView {
  id: string;
  baseUrl: string;
  authSecretRef: string | null;
  source: RouterRecord['source'];
  state: RouterRecord['state'];
  weight: number;
  maxConcurrency: number;
  dedicatedSessions: number;
  ephemeralSessions: number;
  inFlight: number;
  ewmaMs: number | null;
  errorRate: number | null;
  breaker: BreakerSnapshot;
  cooldownUntil: number | null;
  lastProbe: { ok: boolean; at: string; detail?: string } | null;
}

export interface PoolView {
  id: string;
  name: string;
  kind: PoolRecord['kind'];
  apiVersion: PoolRecord['apiVersion'];
  state: PoolRecord['state'];
  isDemo: boolean;
  models: string[];
  routers: RouterView[];
}

export function fleetSnapshot(
  pools: PoolRecord[],
  runtimes: Map<string, RouterRuntime>,
  now: number,
): PoolView[] {
  return pools.map((p) => ({
    id: p.id,
    name: p.name,
    kind: p.kind,
    apiVersion: p.apiVersion,
    state: p.state,
    isDemo: p.isDemo,
    models: p.models.map((m) => m.modelId),
    routers: p.routers.map((record) => routerView(record, runtimes.get(record.id), now)),
  }));
}

function routerView(record: RouterRecord, r: RouterRuntime | undefined, now: number): RouterView {
  return {
    id: record.id,
    baseUrl: record.baseUrl,
    authSecretRef: record.authSecretRef,
    source: record.source,
    state: record.state,
    weight: record.weight,
    maxConcurrency: record.maxConcurrency,
    dedicatedSessions: record.dedicatedSessionIds.length,
    ephemeralSessions: record.ephemeralSessionIds.length,
    inFlight: r?.inFlight ?? 0,
    ewmaMs: r?.ewmaMs === undefined ? null : Math.round(r.ewmaMs * 10) / 10,
    errorRate: r?.errorRate === undefined ? null : Math.round(r.errorRate * 1000) / 1000,
    breaker: r?.breaker.snapshot(now) ?? { state: 'closed', consecutiveFailures: 0, openedAt: null },
    cooldownUntil: r && r.cooldownUntil > now ? r.cooldownUntil : null,
    lastProbe: r?.lastProbe ? { ...r.lastProbe, at: new Date(r.lastProbe.at).toISOString() } : null,
  };
}

/**
 * The fleet at run time: every router's breaker, in-flight count, session load, latency EWMA and
 * cooldown, and the choice of a router and session for a request — least outstanding requests weighted by
 * latency among healthy routers, dedicated sessions before ephemeral ones. Reloading the pool definitions
 * keeps this state for routers that stay, so in-flight requests finish and draining works.
 */
import type { UpstreamFailure } from '../adapters/types.js';
import { createBreaker, type Breaker, type BreakerSnapshot } from './breaker.js';
import type { PoolRecord, RouterRecord } from './store.js';

export interface RouterRuntime {
  record: RouterRecord;
  pool: PoolRecord;
  breaker: Breaker;
  inFlight: number;
  sessionLoad: Map<number, number>;
  /** Latency EWMA of successful attempts, ms. */
  ewmaMs: number | undefined;
  /** When the EWMA last got a sample (it fades toward the pool's best while the router sits idle). */
  sampledAt: number;
  /** Not chosen before this time (upstream asked to back off with retry-after / 429). */
  cooldownUntil: number;
  lastProbe?: { ok: boolean; at: number; detail?: string };
}

export interface Lease {
  router: RouterRuntime;
  pool: PoolRecord;
  sessionId?: number;
  upstreamModel?: string;
  release(): void;
}

export interface Exclusions {
  routers: Set<string>;
  sessions: Set<string>;
}

export type Availability =
  { ok: true } | { ok: false; reason: 'no_pool' | 'maintenance' | 'unhealthy' | 'busy'; retryAfterS: number };

export interface RouterView {
  id: string;
  baseUrl: string;
  authSecretRef: string | null;
  state: RouterRecord['state'];
  weight: number;
  maxConcurrency: number;
  dedicatedSessions: number;
  ephemeralSessions: number;
  inFlight: number;
  ewmaMs: number | null;
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

const EWMA_ALPHA = 0.3;
const EWMA_FADE_MS = 5_000;
const sessionKey = (routerId: string, sessionId: number | undefined) => `${routerId}#${sessionId ?? '-'}`;

export interface FleetOptions {
  failureThreshold: number;
  openMs: number;
  /**
   * Requests one router can have in flight whatever its configured maxConcurrency: the upstream client's
   * connections per origin. Past it a request would wait invisibly in the client's queue (a stream for as
   * long as another stream lasts) while other routers are free.
   */
  connectionCap?: number;
}

export function createFleet(options: FleetOptions) {
  const capOf = (record: { maxConcurrency: number }) =>
    Math.min(record.maxConcurrency, options.connectionCap ?? Infinity);
  let pools: PoolRecord[] = [];
  const runtimes = new Map<string, RouterRuntime>();
  let turn = 0;

  function load(next: PoolRecord[]) {
    pools = next;
    const seen = new Set<string>();
    for (const pool of next)
      for (const record of pool.routers) {
        seen.add(record.id);
        const existing = runtimes.get(record.id);
        if (existing) Object.assign(existing, { record, pool });
        else
          runtimes.set(record.id, {
            record,
            pool,
            breaker: createBreaker(options),
            inFlight: 0,
            sessionLoad: new Map(),
            ewmaMs: undefined,
            sampledAt: 0,
            cooldownUntil: 0,
          });
      }
    for (const id of runtimes.keys()) if (!seen.has(id)) runtimes.delete(id);
  }

  const poolsFor = (modelId: string) => pools.filter((p) => p.models.some((m) => m.modelId === modelId));
  // Requests go only to closed breakers: the half-open trial is the prober's, so no request is spent on it.
  const routable = (r: RouterRuntime, now: number) =>
    r.pool.state === 'active' &&
    r.record.state === 'active' &&
    r.breaker.state(now) === 'closed' &&
    now >= r.cooldownUntil;

  function pickSession(r: RouterRuntime, excluded: Set<string>): number | undefined | null {
    if (r.pool.kind === 'openai') return excluded.has(sessionKey(r.record.id, undefined)) ? null : undefined;
    const free = (ids: number[]) => ids.filter((s) => !excluded.has(sessionKey(r.record.id, s)));
    const load = (s: number) => r.sessionLoad.get(s) ?? 0;
    const least = (ids: number[]) =>
      ids.reduce<number | undefined>((b, s) => (b === undefined || load(s) < load(b) ? s : b), undefined);
    const dedicated = least(free(r.record.dedicatedSessionIds));
    const ephemeral = least(free(r.record.ephemeralSessionIds));
    if (dedicated !== undefined && load(dedicated) === 0) return dedicated;
    if (ephemeral !== undefined && load(ephemeral) === 0) return ephemeral;
    return dedicated ?? ephemeral ?? null;
  }

  function candidates(modelId: string, exclude: Exclusions, now: number) {
    const out: Array<{ r: RouterRuntime; sessionId: number | undefined }> = [];
    for (const pool of poolsFor(modelId))
      for (const record of pool.routers) {
        const r = runtimes.get(record.id);
        if (!r || !routable(r, now) || r.inFlight >= capOf(record)) continue;
        const sessionId = pickSession(r, exclude.sessions);
        if (sessionId !== null) out.push({ r, sessionId });
      }
    const fresh = out.filter((c) => !exclude.routers.has(c.r.record.id));
    return fresh.length ? fresh : out;
  }

  /** Chooses a router and session, or undefined when none can take the request now. */
  function acquire(modelId: string, exclude: Exclusions, now: number): Lease | undefined {
    const list = candidates(modelId, exclude, now);
    if (!list.length) return undefined;
    const known = list.map((c) => c.r.ewmaMs).filter((x): x is number => x !== undefined);
    const best = known.length ? Math.min(...known) : 1;
    // A slow sample fades while the router is not chosen, so one outlier cannot starve it for good.
    const latency = (r: RouterRuntime) =>
      r.ewmaMs === undefined
        ? best
        : best + (r.ewmaMs - best) * Math.exp(-(now - r.sampledAt) / EWMA_FADE_MS);
    const cost = (c: (typeof list)[number]) =>
      ((c.r.inFlight + 1) * Math.max(1, latency(c.r))) / c.r.record.weight;
    turn = (turn + 1) % list.length;
    let chosen = list[turn]!;
    for (const c of list) if (cost(c) < cost(chosen)) chosen = c;
    const { r, sessionId } = chosen;
    r.inFlight++;
    if (sessionId !== undefined) r.sessionLoad.set(sessionId, (r.sessionLoad.get(sessionId) ?? 0) + 1);
    exclude.routers.add(r.record.id);
    exclude.sessions.add(sessionKey(r.record.id, sessionId));
    let released = false;
    return {
      router: r,
      pool: r.pool,
      sessionId,
      upstreamModel: r.pool.models.find((m) => m.modelId === modelId)?.upstreamModel ?? undefined,
      release() {
        if (released) return;
        released = true;
        r.inFlight--;
        if (sessionId !== undefined)
          r.sessionLoad.set(sessionId, Math.max(0, (r.sessionLoad.get(sessionId) ?? 1) - 1));
      },
    };
  }

  function availability(modelId: string, now: number): Availability {
    const served = poolsFor(modelId);
    if (!served.length) return { ok: false, reason: 'no_pool', retryAfterS: 30 };
    const live = served.flatMap((p) =>
      p.state === 'active' ? p.routers.filter((r) => r.state === 'active') : [],
    );
    if (!live.length) return { ok: false, reason: 'maintenance', retryAfterS: 30 };
    const rts = live.map((r) => runtimes.get(r.id)).filter((r): r is RouterRuntime => r !== undefined);
    if (rts.some((r) => routable(r, now) && r.inFlight < capOf(r.record))) return { ok: true };
    if (rts.some((r) => routable(r, now))) return { ok: false, reason: 'busy', retryAfterS: 1 };
    const next = Math.min(...rts.map((r) => Math.max(r.breaker.reopensAt(), r.cooldownUntil)));
    return { ok: false, reason: 'unhealthy', retryAfterS: Math.max(1, Math.ceil((next - now) / 1000)) };
  }

  function recordSuccess(r: RouterRuntime, latencyMs: number) {
    r.breaker.onSuccess();
    r.ewmaMs = r.ewmaMs === undefined ? latencyMs : r.ewmaMs + EWMA_ALPHA * (latencyMs - r.ewmaMs);
    r.sampledAt = Date.now();
  }

  /** Counts a failed attempt: back-off answers cool the router down, broken ones feed its breaker. */
  function recordFailure(r: RouterRuntime, failure: UpstreamFailure, now: number) {
    const status = failure.status;
    if (failure.retryAfterMs) r.cooldownUntil = Math.max(r.cooldownUntil, now + failure.retryAfterMs);
    if (status === 429) {
      r.cooldownUntil = Math.max(r.cooldownUntil, now + 1_000);
      return;
    }
    if (status !== undefined && status >= 400 && status < 500 && status !== 408) return;
    r.breaker.onFailure(now);
  }

  function snapshot(now: number): PoolView[] {
    return pools.map((p) => ({
      id: p.id,
      name: p.name,
      kind: p.kind,
      apiVersion: p.apiVersion,
      state: p.state,
      isDemo: p.isDemo,
      models: p.models.map((m) => m.modelId),
      routers: p.routers.map((record) => {
        const r = runtimes.get(record.id);
        return {
          id: record.id,
          baseUrl: record.baseUrl,
          authSecretRef: record.authSecretRef,
          state: record.state,
          weight: record.weight,
          maxConcurrency: record.maxConcurrency,
          dedicatedSessions: record.dedicatedSessionIds.length,
          ephemeralSessions: record.ephemeralSessionIds.length,
          inFlight: r?.inFlight ?? 0,
          ewmaMs: r?.ewmaMs === undefined ? null : Math.round(r.ewmaMs * 10) / 10,
          breaker: r?.breaker.snapshot(now) ?? { state: 'closed', consecutiveFailures: 0, openedAt: null },
          cooldownUntil: r && r.cooldownUntil > now ? r.cooldownUntil : null,
          lastProbe: r?.lastProbe ? { ...r.lastProbe, at: new Date(r.lastProbe.at).toISOString() } : null,
        };
      }),
    }));
  }

  return {
    load,
    acquire,
    availability,
    recordSuccess,
    recordFailure,
    snapshot,
    routers: () => [...runtimes.values()],
    pools: () => pools,
  };
}

export type Fleet = ReturnType<typeof createFleet>;

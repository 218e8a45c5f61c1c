/**
 * The fleet at run time: every router's breaker, in-flight count, session load, latency EWMA and
 * cooldown, and the choice of a router and session for a request — least outstanding requests weighted by
 * latency among healthy routers, dedicated sessions before ephemeral ones. Reloading the pool definitions
 * keeps this state for routers that stay, so in-flight requests finish and draining works.
 */
import type { UpstreamFailure } from '../adapters/types.js';
import { createBreaker, type Breaker } from './breaker.js';
import { fleetSnapshot } from './fleet-view.js';
import type { PoolRecord, RouterRecord } from './store.js';

export interface RouterRuntime {
  record: RouterRecord;
  pool: PoolRecord;
  breaker: Breaker;
  inFlight: number;
  sessionLoad: Map<number, number>;
  /** Latency EWMA of successful attempts, ms. */
  ewmaMs: number | undefined;
  /** Share of failed attempts, an EWMA over attempts (undefined before the first); for operators only. */
  errorRate: number | undefined;
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

export type { PoolView, RouterView } from './fleet-view.js';

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

/** The fleet's whole run-time state; the functions below read and change it. */
interface FleetState {
  options: FleetOptions;
  pools: PoolRecord[];
  runtimes: Map<string, RouterRuntime>;
  /** Round-robin start among equal-cost candidates. */
  turn: number;
}

export function createFleet(options: FleetOptions) {
  const state: FleetState = { options, pools: [], runtimes: new Map(), turn: 0 };
  return {
    load: (next: PoolRecord[]) => load(state, next),
    /** Chooses a router and session, or undefined when none can take the request now. */
    acquire: (modelId: string, exclude: Exclusions, now: number) => acquire(state, modelId, exclude, now),
    availability: (modelId: string, now: number) => availability(state, modelId, now),
    recordSuccess,
    recordFailure,
    snapshot: (now: number) => fleetSnapshot(state.pools, state.runtimes, now),
    routers: () => [...state.runtimes.values()],
    pools: () => state.pools,
  };
}

export type Fleet = ReturnType<typeof createFleet>;

/** New pool definitions; routers that stay keep their runtime (breaker, in-flight, EWMA). */
function load(state: FleetState, next: PoolRecord[]) {
  state.pools = next;
  const seen = new Set<string>();
  for (const pool of next)
    for (const record of pool.routers) {
      seen.add(record.id);
      const existing = state.runtimes.get(record.id);
      if (existing) Object.assign(existing, { record, pool });
      else
        state.runtimes.set(record.id, {
          record,
          pool,
          breaker: createBreaker(state.options),
          inFlight: 0,
          sessionLoad: new Map(),
          ewmaMs: undefined,
          errorRate: undefined,
          sampledAt: 0,
          cooldownUntil: 0,
        });
    }
  for (const id of state.runtimes.keys()) if (!seen.has(id)) state.runtimes.delete(id);
}

const capOf = (state: FleetState, record: { maxConcurrency: number }) =>
  Math.min(record.maxConcurrency, state.options.connectionCap ?? Infinity);

const poolsFor = (state: FleetState, modelId: string) =>
  state.pools.filter((p) => p.models.some((m) => m.modelId === modelId));

// Requests go only to closed breakers: the half-open trial is the prober's, so no request is spent on it.
const routable = (r: RouterRuntime, now: number) =>
  r.pool.state === 'active' &&
  r.record.state === 'active' &&
  r.breaker.state(now) === 'closed' &&
  now >= r.cooldownUntil;

/** An unloaded dedicated session, else an unloaded ephemeral one, else the least loaded; null when none is free. */
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

interface Candidate {
  r: RouterRuntime;
  sessionId: number | undefined;
}

function candidates(state: FleetState, modelId: string, exclude: Exclusions, now: number): Candidate[] {
  const out: Candidate[] = [];
  for (const pool of poolsFor(state, modelId))
    for (const record of pool.routers) {
      const r = state.runtimes.get(record.id);
      if (!r || !routable(r, now) || r.inFlight >= capOf(state, record)) continue;
      const sessionId = pickSession(r, exclude.sessions);
      if (sessionId !== null) out.push({ r, sessionId });
    }
  const fresh = out.filter((c) => !exclude.routers.has(c.r.record.id));
  return fresh.length ? fresh : out;
}

/** Least outstanding requests weighted by (fading) latency, starting the scan at the round-robin turn. */
function cheapest(state: FleetState, list: Candidate[], now: number): Candidate | undefined {
  const known = list.map((c) => c.r.ewmaMs).filter((x): x is number => x !== undefined);
  const best = known.length ? Math.min(...known) : 1;
  // A slow sample fades while the router is not chosen, so one outlier cannot starve it for good.
  const latency = (r: RouterRuntime) =>
    r.ewmaMs === undefined ? best : best + (r.ewmaMs - best) * Math.exp(-(now - r.sampledAt) / EWMA_FADE_MS);
  const cost = (c: Candidate) => ((c.r.inFlight + 1) * Math.max(1, latency(c.r))) / c.r.record.weight;
  state.turn = (state.turn + 1) % list.length;
  let chosen = list[state.turn];
  for (const c of list) if (!chosen || cost(c) < cost(chosen)) chosen = c;
  return chosen;
}

function acquire(state: FleetState, modelId: string, exclude: Exclusions, now: number): Lease | undefined {
  const list = candidates(state, modelId, exclude, now);
  if (!list.length) return undefined;
  const chosen = cheapest(state, list, now);
  if (!chosen) return undefined;
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

const AVAILABLE: Availability = Object.freeze({ ok: true });

function availability(state: FleetState, modelId: string, now: number): Availability {
  const served = poolsFor(state, modelId);
  if (!served.length) return { ok: false, reason: 'no_pool', retryAfterS: 30 };
  // Every admitted request asks this: the usual answer without building the lists the refusals below need.
  for (const p of served) {
    if (p.state !== 'active') continue;
    for (const r of p.routers) {
      const rt = r.state === 'active' ? state.runtimes.get(r.id) : undefined;
      if (rt && routable(rt, now) && rt.inFlight < capOf(state, rt.record)) return AVAILABLE;
    }
  }
  const live = served.flatMap((p) =>
    p.state === 'active' ? p.routers.filter((r) => r.state === 'active') : [],
  );
  if (!live.length) return { ok: false, reason: 'maintenance', retryAfterS: 30 };
  const rts = live.map((r) => state.runtimes.get(r.id)).filter((r): r is RouterRuntime => r !== undefined);
  // None is routable below its cap (the loop above would have answered): busy, or all unhealthy.
  if (rts.some((r) => routable(r, now))) return { ok: false, reason: 'busy', retryAfterS: 1 };
  const next = Math.min(...rts.map((r) => Math.max(r.breaker.reopensAt(), r.cooldownUntil)));
  return { ok: false, reason: 'unhealthy', retryAfterS: Math.max(1, Math.ceil((next - now) / 1000)) };
}

const ERROR_ALPHA = 0.1;

function countAttempt(r: RouterRuntime, failed: boolean) {
  const x = failed ? 1 : 0;
  r.errorRate = r.errorRate === undefined ? x : r.errorRate + ERROR_ALPHA * (x - r.errorRate);
}

function recordSuccess(r: RouterRuntime, latencyMs: number) {
  r.breaker.onSuccess();
  countAttempt(r, false);
  r.ewmaMs = r.ewmaMs === undefined ? latencyMs : r.ewmaMs + EWMA_ALPHA * (latencyMs - r.ewmaMs);
  r.sampledAt = Date.now();
}

/** Counts a failed attempt: back-off answers cool the router down, broken ones feed its breaker. */
function recordFailure(r: RouterRuntime, failure: UpstreamFailure, now: number) {
  const status = failure.status;
  countAttempt(r, true);
  if (failure.retryAfterMs) r.cooldownUntil = Math.max(r.cooldownUntil, now + failure.retryAfterMs);
  if (status === 429) {
    r.cooldownUntil = Math.max(r.cooldownUntil, now + 1_000);
    return;
  }
  if (status !== undefined && status >= 400 && status < 500 && status !== 408) return;
  r.breaker.onFailure(now);
}

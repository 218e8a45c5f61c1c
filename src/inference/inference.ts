/**
 * The inference service: product model → pool → healthy router and session → upstream adapter. Retries a
 * failed attempt on another router or session while nothing has reached the caller and the deadline allows
 * (honouring retry-after), keeps the fleet's health from probes and outcomes, and reloads pool
 * definitions when an admin changes them (`pool.changed` on the bus).
 */
import { abortableSleep } from '../platform/abortable-sleep.js';
import type { Bus } from '../platform/bus/types.js';
import type { PortalConfig } from '../platform/config/schema.js';
import type { Logger } from '../platform/log.js';
import type { Metrics } from '../platform/metrics.js';
import type { Store } from '../platform/store/db.js';
import type { PortalError } from '../platform/http/errors.js';
import { cortensorAdapter } from './adapters/cortensor.js';
import { createOpenAiCompatibleAdapter } from './adapters/openai-compatible.js';
import type { UpstreamAdapter, UpstreamFailure, UpstreamTarget } from './adapters/types.js';
import { cancelledError, finalError, streamError, timeoutError, unavailableError } from './failures.js';
import { startDemoFleet, type DemoFleet } from './pools/demo.js';
import { createFleet, type Fleet, type Lease, type PoolView } from './pools/fleet.js';
import { createInferenceMetrics } from './pools/metrics.js';
import { startProber } from './pools/prober.js';
import { loadPools, seedPools, type PoolRecord } from './pools/store.js';
import { targetFor } from './pools/target.js';
import type { Completion, CompletionStream, Inference, InferenceRequest, StreamPiece } from './types.js';
import { completeOnce, openStreamOnce, type OpenedStream } from './upstream/call.js';
import {
  createUpstreamClient,
  DEFAULT_CONNECTIONS_PER_ORIGIN,
  UpstreamCallError,
  type NetOptions,
} from './upstream/net.js';

export interface InferenceService extends Inference {
  /** Pools and routers with health, for the admin API. */
  snapshot(): PoolView[];
  /** The in-process simulator's URL when the demo fleet serves (no pool configured). */
  demo(): { url: string } | undefined;
  /** Re-reads pool definitions and states from the store. */
  reload(): Promise<void>;
  /** Probes every router now. */
  probeNow(): Promise<void>;
  close(): Promise<void>;
}

export interface InferenceDeps {
  config: PortalConfig;
  store: Store;
  bus: Bus;
  log: Logger;
  metrics: Metrics;
  net?: NetOptions;
}

const MAX_ATTEMPTS = 4;
const RELOAD_EVERY_MS = 30_000;
const openAiAdapter = createOpenAiCompatibleAdapter();
const openAiPromptAdapter = createOpenAiCompatibleAdapter({ toolCalling: 'prompt' });

/** The adapter for a pool's upstream kind (OpenAI-compatible with native or prompt-rendered tools, or Cortensor). */
function adapterFor(pool: Pick<PoolRecord, 'kind' | 'toolCalling'>): UpstreamAdapter {
  if (pool.kind !== 'openai') return cortensorAdapter;
  return pool.toolCalling === 'prompt' ? openAiPromptAdapter : openAiAdapter;
}

/** Seeds the configured pools, or starts the demo fleet when there are none. */
async function preparePools(deps: InferenceDeps): Promise<DemoFleet | undefined> {
  if (deps.config.pools.length) {
    await seedPools(deps.store, deps.config.pools);
    return undefined;
  }
  const zeroDelay = process.env.NODE_ENV === 'test' || process.env.PORTAL_DEMO_ZERO_DELAY === '1';
  const demo = await startDemoFleet(deps.config.models, { zeroDelay });
  await seedPools(deps.store, demo.pools, { demo: true });
  deps.log.warn(
    { simulator: demo.simulator.url, pools: demo.pools.map((p) => p.id) },
    'no pools configured: serving every model from the DEMO router simulator (answers are generated text)',
  );
  return demo;
}

export async function createInference(deps: InferenceDeps): Promise<InferenceService> {
  const { config, store, log } = deps;
  const demoFleet = await preparePools(deps);
  const fleet = createFleet({
    failureThreshold: config.health.failureThreshold,
    openMs: config.health.openMs,
    connectionCap: deps.net?.connectionsPerOrigin ?? DEFAULT_CONNECTIONS_PER_ORIGIN,
  });
  fleet.load(await loadPools(store));
  const net = createUpstreamClient(deps.net);
  const run: Runner = { fleet, net, log, metrics: createInferenceMetrics(deps.metrics, () => fleet) };
  const prober = startProber({
    fleet,
    net,
    adapterFor: (r) => adapterFor(r.pool),
    intervalMs: config.health.probeIntervalMs,
    log,
  });
  const pools = watchPools(deps, fleet);

  await prober.probeAll();
  return {
    complete: (request) => complete(run, request),
    stream: (request) => stream(run, request),
    canServe: (modelId) => fleet.availability(modelId, Date.now()).ok,
    unavailable(modelId) {
      const availability = fleet.availability(modelId, Date.now());
      return availability.ok ? undefined : unavailableError(modelId, availability);
    },
    snapshot: () => fleet.snapshot(Date.now()),
    demo: () => (demoFleet ? { url: demoFleet.simulator.url } : undefined),
    reload: pools.reload,
    probeNow: () => prober.probeAll(),
    async close() {
      prober.stop();
      pools.stop();
      await net.close();
      await demoFleet?.simulator.close();
    },
  };
}

/** Reloads pool definitions when an admin changes them (`pool.changed` on the bus) and every 30 s regardless. */
function watchPools(deps: InferenceDeps, fleet: Fleet) {
  const { store, log } = deps;
  async function reload() {
    fleet.load(await loadPools(store));
  }
  const unsubscribe = deps.bus.subscribe((message) => {
    if (message.type === 'pool.changed' || message.type === 'cache.flush')
      reload().catch((err: unknown) => log.error({ err }, 'reloading pools failed'));
  });
  // The periodic reload is a safety net behind the bus: a failed one is retried on the next tick.
  const timer = setInterval(() => void reload().catch(() => {}), RELOAD_EVERY_MS);
  timer.unref();
  return {
    reload,
    stop() {
      clearInterval(timer);
      unsubscribe();
    },
  };
}

/** What one request's attempts use: the fleet to choose from, the network, and where outcomes are recorded. */
interface Runner {
  fleet: Fleet;
  net: ReturnType<typeof createUpstreamClient>;
  metrics: ReturnType<typeof createInferenceMetrics>;
  log: Logger;
}

function recordFailure(run: Runner, lease: Lease, request: InferenceRequest, failure: UpstreamFailure) {
  run.fleet.recordFailure(lease.router, failure, Date.now());
  const labels = { pool: lease.pool.id, router: lease.router.record.id };
  run.metrics.attempts.slot({ ...labels, outcome: failure.kind }).value++;
  run.metrics.errors.slot({ ...labels, kind: failure.kind }).value++;
  run.log.warn(
    {
      requestId: request.requestId,
      pool: lease.pool.id,
      router: lease.router.record.id,
      detail: failure.detail,
    },
    'upstream attempt failed',
  );
}

/** Runs attempts until one succeeds; the lease of the successful one is handed back, still held. */
async function attempt<T>(
  run: Runner,
  request: InferenceRequest,
  call: (adapter: UpstreamAdapter, target: UpstreamTarget) => Promise<T>,
): Promise<{ value: T; lease: Lease; startedAt: number }> {
  const modelId = request.model.id;
  const exclude = { routers: new Set<string>(), sessions: new Set<string>() };
  let last: UpstreamFailure | undefined;
  for (let i = 0; i < MAX_ATTEMPTS; i++) {
    if (request.signal.aborted) throw cancelledError();
    if (Date.now() >= request.deadline) throw timeoutError();
    const lease = run.fleet.acquire(modelId, exclude, Date.now());
    if (!lease) {
      // Only routers that asked us to back off are left: wait for them if the deadline allows.
      const wait = last?.retryAfterMs;
      if (wait === undefined || Date.now() + wait >= request.deadline) break;
      await abortableSleep(wait, request.signal);
      exclude.routers.clear();
      exclude.sessions.clear();
      continue;
    }
    const startedAt = performance.now();
    try {
      const value = await call(adapterFor(lease.pool), targetFor(lease.router, lease));
      return { value, lease, startedAt };
    } catch (err) {
      lease.release();
      if (!(err instanceof UpstreamCallError)) throw err;
      if (err.aborted) throw cancelledError();
      recordFailure(run, lease, request, err.failure);
      last = err.failure;
      if (!err.failure.retryable) break;
    }
  }
  throw finalError(modelId, last, run.fleet.availability(modelId, Date.now()));
}

function succeeded(run: Runner, lease: Lease, startedAt: number) {
  const ms = performance.now() - startedAt;
  run.fleet.recordSuccess(lease.router, ms);
  const slots = run.metrics.successOf(lease.router);
  slots.ok.value++;
  run.metrics.latency.observe(slots.latency, ms / 1000);
}

async function complete(run: Runner, request: InferenceRequest): Promise<Completion> {
  const { value, lease, startedAt } = await attempt(run, request, (adapter, target) =>
    completeOnce(run.net, adapter, request, target),
  );
  lease.release();
  succeeded(run, lease, startedAt);
  return { ...value, route: { poolId: lease.pool.id, routerId: lease.router.record.id } };
}

/** Follows an opened stream to its end; releases the router and records the outcome whatever happens. */
async function* follow(
  run: Runner,
  request: InferenceRequest,
  opened: OpenedStream,
  lease: Lease,
  abandon: () => void,
): AsyncGenerator<StreamPiece[]> {
  request.signal.removeEventListener('abort', abandon);
  try {
    for await (const batch of opened.batches) yield batch;
    run.fleet.recordSuccess(lease.router, lease.router.ewmaMs ?? 0);
  } catch (err) {
    if (!(err instanceof UpstreamCallError)) throw err;
    if (err.aborted || request.signal.aborted) return; // the client went away: end quietly
    recordFailure(run, lease, request, err.failure);
    throw streamError(err.failure) satisfies PortalError;
  } finally {
    lease.release();
  }
}

async function stream(run: Runner, request: InferenceRequest): Promise<CompletionStream> {
  const { value, lease, startedAt } = await attempt(run, request, (adapter, target) =>
    openStreamOnce(run.net, adapter, request, target),
  );
  succeeded(run, lease, startedAt);
  // A generator's `finally` only runs once it was started: a stream dropped unread (the client left
  // before the first read) is let go here instead, so the router's slot is not held forever.
  const abandon = () => {
    value.cancel();
    lease.release();
  };
  request.signal.addEventListener('abort', abandon, { once: true });
  return {
    route: { poolId: lease.pool.id, routerId: lease.router.record.id },
    batches: follow(run, request, value, lease, abandon),
  };
}

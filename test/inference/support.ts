/**
 * Shared helpers for inference tests: catalog models and requests, and a fleet of simulated routers with a
 * real store, bus and inference service around them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CatalogModel, ChatMessage, InferenceRequest } from '#src/inference/types.js';
import type { UpstreamAdapter } from '#src/inference/adapters/types.js';
import { createSseDecoder } from '#src/inference/upstream/sse.js';
import type { StreamPiece } from '#src/inference/types.js';

export function model(overrides: Partial<CatalogModel> = {}): CatalogModel {
  return {
    id: 'qwen',
    displayName: 'Qwen',
    description: '',
    contextWindow: 32_768,
    maxOutputTokens: 8_192,
    defaultMaxTokens: 1_024,
    template: 'chatml',
    inputPricePerMTok: 0,
    outputPricePerMTok: 0,
    aliases: [],
    status: 'enabled',
    createdAt: new Date(0),
    ...overrides,
  };
}

export function chatRequest(overrides: Partial<InferenceRequest> = {}): InferenceRequest {
  const messages: ChatMessage[] = [{ role: 'user', content: 'Say something' }];
  return {
    requestId: 'req_test',
    model: model(),
    messages,
    maxTokens: 64,
    deadline: Date.now() + 10_000,
    signal: new AbortController().signal,
    ...overrides,
  };
}

export function fixture(name: string): string {
  return readFileSync(
    fileURLToPath(new URL(`../../src/inference/adapters/__fixtures__/${name}`, import.meta.url)),
    'utf8',
  );
}

export interface Replay {
  text: string;
  pieces: StreamPiece[];
  end?: Extract<StreamPiece, { type: 'end' }>;
  failure?: string;
}

/** Feeds a recorded SSE body through the decoder and an adapter in small, awkward chunks. */
export function replay(
  adapter: UpstreamAdapter,
  request: InferenceRequest,
  body: string,
  chunkSize = 7,
): Replay {
  const state = adapter.initStreamState(request);
  const decoder = createSseDecoder();
  const pieces: StreamPiece[] = [];
  const take = (events: string[]): Replay | undefined => {
    for (const data of events) {
      const step = adapter.parseEvent(data, state);
      pieces.push(...step.pieces);
      if (step.failure) return finish(step.failure.detail);
      if (step.done) return finish();
    }
    return undefined;
  };
  const finish = (failure?: string): Replay => ({
    text: pieces.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join(''),
    pieces,
    end: pieces.find((p): p is Extract<StreamPiece, { type: 'end' }> => p.type === 'end'),
    failure,
  });
  for (let i = 0; i < body.length; i += chunkSize) {
    const done = take(decoder.push(body.slice(i, i + chunkSize)));
    if (done) return done;
  }
  const done = take(decoder.end());
  if (done) return done;
  const last = adapter.endStream(state);
  pieces.push(...last.pieces);
  return finish(last.failure?.detail);
}

// ── a real fleet of simulated routers ──────────────────────────────────────────────────────────────────
import { randomBytes } from 'node:crypto';
import { createMemoryBus } from '#src/platform/bus/memory.js';
import type { Bus } from '#src/platform/bus/types.js';
import { loadConfig } from '#src/platform/config/load.js';
import { poolSchema, type PortalConfig } from '#src/platform/config/schema.js';
import { createLogger } from '#src/platform/log.js';
import { createMetrics, type Metrics } from '#src/platform/metrics.js';
import type { Store } from '#src/platform/store/db.js';
import { afterEach, beforeAll } from 'vitest';
import { sharedTestStore } from '../support/pglite.js';
import { seedCatalog } from '#src/platform/store/seed.js';
import { createCatalog, type Catalog } from '#src/inference/catalog.js';
import { createInference, type InferenceService } from '#src/inference/inference.js';
import { startSimulator, type RunningSimulator } from '#src/inference/simulator/server.js';
import type { SimOptionsInput } from '#src/inference/simulator/options.js';

export interface TestFleet {
  sims: RunningSimulator[];
  config: PortalConfig;
  store: Store;
  bus: Bus;
  metrics: Metrics;
  catalog: Catalog;
  inference: InferenceService;
  /** A chat request for a catalog model, with a fresh deadline. */
  request(overrides?: Partial<InferenceRequest>): InferenceRequest;
  /** Waits (probing) until every router is routable again: breakers closed, no cooldown. */
  healthy(timeoutMs?: number): Promise<void>;
  /** Restarts a stopped simulator on its old port. */
  restart(index: number): Promise<void>;
  close(): Promise<void>;
}

export interface FleetOptions {
  routers?: number;
  sim?: SimOptionsInput;
  pool?: Record<string, unknown>;
  router?: Record<string, unknown>;
  health?: Partial<PortalConfig['health']>;
  store?: Store;
  modelId?: string;
}

/**
 * Registers the shared store in beforeAll and closes, after each test, every fleet the returned `start` made:
 * each test keeps its own fleet, so a test that overran cannot touch the next one's routers.
 */
export function useTestFleets(): (options?: FleetOptions) => Promise<TestFleet> {
  const fleets: TestFleet[] = [];
  beforeAll(() => sharedTestStore(), 120_000);
  afterEach(async () => {
    await Promise.all(fleets.splice(0).map((f) => f.close()));
  });
  return async (options) => {
    const fleet = await startTestFleet(options);
    fleets.push(fleet);
    return fleet;
  };
}

/** Starts N simulators behind one pool serving `qwen`, with a real store, bus and inference service. */
export async function startTestFleet(options: FleetOptions = {}): Promise<TestFleet> {
  const keyEnv = `TEST_ROUTER_KEY_${randomBytes(4).toString('hex').toUpperCase()}`;
  const key = randomBytes(12).toString('hex');
  process.env[keyEnv] = key;
  const simOptions = { apiKey: key, ...options.sim };
  const sims = await Promise.all(
    Array.from({ length: options.routers ?? 1 }, () => startSimulator({ options: simOptions })),
  );
  const modelId = options.modelId ?? 'qwen';
  const pool = poolSchema.parse({
    id: 'pool-a',
    models: [modelId],
    routers: sims.map((s, i) => ({
      id: `router-${i}`,
      url: s.url,
      apiKeyEnv: keyEnv,
      dedicatedSessions: [i * 10 + 1, i * 10 + 2],
      ...options.router,
    })),
    ...options.pool,
  });
  const base = loadConfig({ env: {} });
  const config: PortalConfig = {
    ...base,
    pools: [pool],
    health: { probeIntervalMs: 200, failureThreshold: 2, openMs: 400, ...options.health },
  };
  const store = options.store ?? (await sharedTestStore());
  await seedCatalog(store, config);
  const bus = createMemoryBus();
  const log = createLogger({ level: 'silent' });
  const metrics = createMetrics();
  const catalog = await createCatalog({ store, bus });
  const inference = await createInference({ config, store, bus, log, metrics });
  return {
    sims,
    config,
    store,
    bus,
    metrics,
    catalog,
    inference,
    request: (overrides = {}) =>
      chatRequest({ model: catalog.resolve(modelId)!, deadline: Date.now() + 10_000, ...overrides }),
    async healthy(timeoutMs = 8_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        await inference.probeNow();
        const routers = inference.snapshot().flatMap((p) => p.routers);
        if (routers.every((r) => r.breaker.state === 'closed' && r.cooldownUntil === null)) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('fleet did not become healthy');
    },
    async restart(index) {
      const old = sims[index]!;
      sims[index] = await startSimulator({ port: old.port, options: old.options() });
    },
    async close() {
      await inference.close();
      catalog.close();
      await Promise.all(sims.map((s) => s.close()));
    },
  };
}

/** A stream's pieces one by one, whatever batches they came in. */
export async function* piecesOf(batches: AsyncIterable<StreamPiece[]>): AsyncGenerator<StreamPiece> {
  for await (const batch of batches) yield* batch;
}

/** Reads a stream to its end. */
export async function readStream(batches: AsyncIterable<StreamPiece[]>) {
  let text = '';
  let end: Extract<StreamPiece, { type: 'end' }> | undefined;
  for await (const p of piecesOf(batches)) {
    if (p.type === 'text') text += p.text;
    else if (p.type === 'end') end = p;
  }
  return { text, end };
}

/**
 * Pools and the catalog in the store, on PGlite and (with DATABASE_URL) PostgreSQL: config owns pool
 * definitions, operators own states; the demo fleet gives way to configured pools; the catalog resolves
 * aliases from memory and reloads on `model.changed`.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryBus } from '#src/platform/bus/memory.js';
import { loadConfig } from '#src/platform/config/load.js';
import { poolSchema, type PoolConfig } from '#src/platform/config/schema.js';
import { createLogger } from '#src/platform/log.js';
import { createMetrics } from '#src/platform/metrics.js';
import type { Store } from '#src/platform/store/db.js';
import { models, routerPools, routers } from '#src/platform/store/schema.js';
import { seedCatalog } from '#src/platform/store/seed.js';
import { createCatalog } from '#src/inference/catalog.js';
import { createInference } from '#src/inference/inference.js';
import { DEMO_KEY_ENV } from '#src/inference/pools/demo.js';
import {
  addRouter,
  changeRouter,
  loadPools,
  seedPools,
  setPoolState,
  setRouterState,
} from '#src/inference/pools/store.js';
import { storeTargets } from '../support/store.js';

const config = loadConfig({ env: {} });

function pool(routerUrls: Record<string, string>, extra: Record<string, unknown> = {}): PoolConfig {
  return poolSchema.parse({
    id: 'main',
    models: ['oss-20b', 'qwen'],
    routers: Object.entries(routerUrls).map(([id, url]) => ({
      id,
      url,
      apiKeyEnv: 'ROUTER_KEY',
      dedicatedSessions: [1, 2],
    })),
    ...extra,
  });
}

describe.each(storeTargets())('pools in the store ($name)', (target) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await target.open());
    await seedCatalog(store, config);
  });
  afterAll(() => close());

  it('keeps operator-set states across a re-seed while config updates definitions', async () => {
    await seedPools(store, [pool({ r1: 'http://a:5010', r2: 'http://b:5010/' })]);
    await setPoolState(store, 'main', 'draining');
    await setRouterState(store, 'r1', 'disabled');
    await seedPools(store, [pool({ r1: 'http://a2:5010', r3: 'http://c:5010' }, { apiVersion: 'v3' })]);
    const [main] = await loadPools(store);
    expect(main).toMatchObject({ id: 'main', state: 'draining', apiVersion: 'v3', isDemo: false });
    expect(main!.models.map((m) => m.modelId)).toEqual(['oss-20b', 'qwen']);
    expect(main!.routers.map((r) => [r.id, r.baseUrl, r.state, r.authSecretRef])).toEqual([
      ['r1', 'http://a2:5010', 'disabled', 'ROUTER_KEY'],
      ['r3', 'http://c:5010', 'active', 'ROUTER_KEY'],
    ]);
  });

  it('keeps routers added through the admin API across a re-seed; refuses to change config routers', async () => {
    await seedPools(store, [pool({ r1: 'http://a:5010' })]);
    const def = {
      baseUrl: 'http://x:5010',
      authSecretRef: null,
      dedicatedSessionIds: [5],
      weight: 2,
      maxConcurrency: 8,
    };
    expect(await addRouter(store, 'main', 'added', def)).toMatchObject({ ok: true, before: null });
    expect(await addRouter(store, 'main', 'added', def)).toEqual({ ok: false, code: 'id_taken' });
    expect(await addRouter(store, 'nope', 'other', def)).toEqual({ ok: false, code: 'no_pool' });
    await seedPools(store, [pool({ r1: 'http://a:5010' })]);
    const [main] = await loadPools(store);
    expect(main!.routers.map((r) => [r.id, r.source])).toEqual([
      ['added', 'admin'],
      ['r1', 'config'],
    ]);
    expect(await changeRouter(store, 'r1', { weight: 3 })).toEqual({ ok: false, code: 'config_owned' });
    expect(await changeRouter(store, 'added', { weight: 3 })).toMatchObject({
      ok: true,
      after: { weight: 3 },
    });
    expect(await changeRouter(store, 'added', null)).toMatchObject({ ok: true, after: null });
    expect(await changeRouter(store, 'added', null)).toEqual({ ok: false, code: 'no_router' });
  });

  it('refuses a pool serving a model the catalog does not know', async () => {
    await expect(seedPools(store, [pool({ r1: 'http://a:5010' }, { models: ['nope'] })])).rejects.toThrow(
      /unknown model "nope"/,
    );
  });

  it('serves the demo fleet when no pool is configured, and drops it once pools are configured', async () => {
    const deps = {
      store,
      bus: createMemoryBus(),
      log: createLogger({ level: 'silent' }),
      metrics: createMetrics(),
    };
    const demo = await createInference({ ...deps, config: { ...config, pools: [] } });
    try {
      expect(demo.demo()?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const pools = await loadPools(store);
      expect(pools.map((p) => p.id).sort()).toEqual([
        'demo-gemma4',
        'demo-oss-120b',
        'demo-oss-20b',
        'demo-qwen',
      ]);
      expect(pools.every((p) => p.isDemo && p.routers.every((r) => r.authSecretRef === DEMO_KEY_ENV))).toBe(
        true,
      );
      const stored = JSON.stringify(await store.db.select().from(routers));
      expect(stored).not.toContain(process.env[DEMO_KEY_ENV]);
      const catalog = await createCatalog(deps);
      const answer = await demo.complete({
        requestId: 'req_demo',
        model: catalog.resolve('gemma')!,
        messages: [{ role: 'user', content: 'Hi' }],
        maxTokens: 16,
        deadline: Date.now() + 10_000,
        signal: new AbortController().signal,
      });
      catalog.close();
      expect(answer.route.poolId).toBe('demo-gemma4');
      expect(answer.text.length).toBeGreaterThan(0);
    } finally {
      await demo.close();
    }
    await seedPools(store, [pool({ r1: 'http://a:5010' })]);
    const left = await store.db.select({ id: routerPools.id, isDemo: routerPools.isDemo }).from(routerPools);
    expect(left).toEqual([{ id: 'main', isDemo: false }]);
  });

  it('resolves models by id or alias without a query and reloads on model.changed', async () => {
    const bus = createMemoryBus();
    const catalog = await createCatalog({ store, bus });
    expect(catalog.resolve('GPT-OSS-20B')?.id).toBe('oss-20b');
    expect(catalog.resolve('qwen')?.template).toBe('chatml');
    expect(catalog.resolve('unknown')).toBeUndefined();
    expect(catalog.list().map((m) => m.id)).toEqual(['oss-20b', 'oss-120b', 'gemma4', 'qwen']);
    await store.db.update(models).set({ status: 'disabled' }).where(eq(models.id, 'qwen'));
    expect(catalog.resolve('qwen')?.status).toBe('enabled'); // cached until told
    await bus.publish({ type: 'model.changed', modelId: 'qwen' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(catalog.resolve('qwen3')?.status).toBe('disabled');
    catalog.close();
    await store.db.update(models).set({ status: 'enabled' }).where(eq(models.id, 'qwen'));
  });
});

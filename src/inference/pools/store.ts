/**
 * Router pools in the store. Config owns definitions (URLs, sessions, weights, models); operators own state:
 * a pool or router an admin drained or disabled stays so across restarts. Pools no longer configured are
 * removed (the demo pools too, once real ones are configured).
 */
import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { PoolConfig } from '#src/platform/config/schema.js';
import type { Store } from '#src/platform/store/db.js';
import { models, routerPoolModels, routerPools, routers } from '#src/platform/store/schema.js';

export type FleetState = 'active' | 'draining' | 'disabled';

export interface RouterRecord {
  id: string;
  poolId: string;
  baseUrl: string;
  /** Name of the env var holding the bearer key. */
  authSecretRef: string | null;
  dedicatedSessionIds: number[];
  ephemeralSessionIds: number[];
  weight: number;
  maxConcurrency: number;
  state: FleetState;
}

export interface PoolRecord {
  id: string;
  name: string;
  kind: 'cortensor' | 'openai';
  apiVersion: 'v1' | 'v2' | 'v3';
  /** OpenAI-compatible pools: tools natively (default) or through the model's template. */
  toolCalling?: 'native' | 'prompt';
  state: FleetState;
  isDemo: boolean;
  models: Array<{ modelId: string; upstreamModel: string | null; priority: number }>;
  routers: RouterRecord[];
}

export class PoolConfigError extends Error {
  override name = 'StartupError';
}

function modelEntries(pool: PoolConfig) {
  return pool.models.map((m, i) =>
    typeof m === 'string'
      ? { modelId: m, upstreamModel: null, priority: i }
      : { modelId: m.id, upstreamModel: m.upstreamModel, priority: i },
  );
}

function checkDefinitions(pools: PoolConfig[], known: Set<string>) {
  const routerIds = new Set<string>();
  for (const pool of pools) {
    for (const r of pool.routers) {
      if (routerIds.has(r.id))
        throw new PoolConfigError(`router id "${r.id}" is used twice (router ids are global)`);
      routerIds.add(r.id);
    }
    for (const m of modelEntries(pool))
      if (!known.has(m.modelId))
        throw new PoolConfigError(`pool "${pool.id}" serves unknown model "${m.modelId}"`);
  }
}

/** Writes the configured pools; keeps operator-set states of pools and routers that already exist. */
export async function seedPools(store: Store, pools: PoolConfig[], options: { demo?: boolean } = {}) {
  const known = new Set((await store.db.select({ id: models.id }).from(models)).map((m) => m.id));
  checkDefinitions(pools, known);
  await store.db.transaction(async (tx) => {
    const poolIds = pools.map((p) => p.id);
    if (poolIds.length) await tx.delete(routerPools).where(notInArray(routerPools.id, poolIds));
    else await tx.delete(routerPools);
    for (const pool of pools) {
      const def = {
        name: pool.name ?? pool.id,
        kind: pool.kind,
        apiVersion: pool.apiVersion,
        toolCalling: pool.toolCalling ?? 'native',
        isDemo: options.demo ?? false,
      };
      await tx
        .insert(routerPools)
        .values({ id: pool.id, ...def, state: pool.state })
        .onConflictDoUpdate({ target: routerPools.id, set: { ...def, updatedAt: sql`now()` } });
      await tx.delete(routerPoolModels).where(eq(routerPoolModels.poolId, pool.id));
      await tx.insert(routerPoolModels).values(modelEntries(pool).map((m) => ({ poolId: pool.id, ...m })));
      const ids = pool.routers.map((r) => r.id);
      await tx.delete(routers).where(and(eq(routers.poolId, pool.id), notInArray(routers.id, ids)));
      for (const r of pool.routers) {
        const routerDef = {
          poolId: pool.id,
          baseUrl: r.url.replace(/\/+$/, ''),
          authSecretRef: r.apiKeyEnv ?? null,
          dedicatedSessionIds: r.dedicatedSessions,
          ephemeralSessionIds: r.ephemeralSessions,
          weight: r.weight,
          maxConcurrency: r.maxConcurrency,
        };
        await tx
          .insert(routers)
          .values({ id: r.id, ...routerDef, state: r.state })
          .onConflictDoUpdate({ target: routers.id, set: { ...routerDef, updatedAt: sql`now()` } });
      }
    }
  });
}

/** Every pool with its models and routers. */
export async function loadPools(store: Store): Promise<PoolRecord[]> {
  const pools = await store.db.select().from(routerPools).orderBy(routerPools.id);
  if (!pools.length) return [];
  const ids = pools.map((p) => p.id);
  const poolModels = await store.db
    .select()
    .from(routerPoolModels)
    .where(inArray(routerPoolModels.poolId, ids));
  const poolRouters = await store.db
    .select()
    .from(routers)
    .where(inArray(routers.poolId, ids))
    .orderBy(routers.id);
  return pools.map((p) => ({
    id: p.id,
    name: p.name,
    kind: p.kind,
    apiVersion: p.apiVersion === 'v2' || p.apiVersion === 'v3' ? p.apiVersion : 'v1',
    toolCalling: p.toolCalling,
    state: p.state,
    isDemo: p.isDemo,
    models: poolModels
      .filter((m) => m.poolId === p.id)
      .sort((a, b) => a.priority - b.priority)
      .map((m) => ({ modelId: m.modelId, upstreamModel: m.upstreamModel, priority: m.priority })),
    routers: poolRouters
      .filter((r) => r.poolId === p.id)
      .map((r) => ({
        id: r.id,
        poolId: r.poolId,
        baseUrl: r.baseUrl,
        authSecretRef: r.authSecretRef,
        dedicatedSessionIds: r.dedicatedSessionIds,
        ephemeralSessionIds: r.ephemeralSessionIds,
        weight: r.weight,
        maxConcurrency: r.maxConcurrency,
        state: r.state,
      })),
  }));
}

/** Sets a pool's state; false when there is no such pool. */
export async function setPoolState(store: Store, poolId: string, state: FleetState): Promise<boolean> {
  const rows = await store.db
    .update(routerPools)
    .set({ state, updatedAt: sql`now()` })
    .where(eq(routerPools.id, poolId))
    .returning({ id: routerPools.id });
  return rows.length > 0;
}

/** Sets a router's state; returns its pool id, or undefined when there is no such router. */
export async function setRouterState(
  store: Store,
  routerId: string,
  state: FleetState,
): Promise<string | undefined> {
  const rows = await store.db
    .update(routers)
    .set({ state, updatedAt: sql`now()` })
    .where(eq(routers.id, routerId))
    .returning({ poolId: routers.poolId });
  return rows[0]?.poolId;
}

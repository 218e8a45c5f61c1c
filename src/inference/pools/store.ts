/**
 * Router pools in the store. Config owns the definitions of pools and of the routers it lists (URLs,
 * sessions, weights, models); operators own state: a pool or router an admin drained or disabled stays so
 * across restarts. Routers added through the admin API (`source: 'admin'`) are owned by the store: a start
 * never removes or rewrites them. Pools no longer configured are removed with all their routers (the demo
 * pools too, once real ones are configured).
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
  /** `config`: the config file defines it; `admin`: added through the admin API. */
  source: 'config' | 'admin';
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
      await tx
        .delete(routers)
        .where(and(eq(routers.poolId, pool.id), eq(routers.source, 'config'), notInArray(routers.id, ids)));
      for (const r of pool.routers) {
        const routerDef = {
          poolId: pool.id,
          baseUrl: r.url.replace(/\/+$/, ''),
          authSecretRef: r.apiKeyEnv ?? null,
          dedicatedSessionIds: r.dedicatedSessions,
          ephemeralSessionIds: r.ephemeralSessions,
          weight: r.weight,
          maxConcurrency: r.maxConcurrency,
          // A router the config now lists is the config's, even if an admin added one by that id before.
          source: 'config' as const,
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
    routers: poolRouters.filter((r) => r.poolId === p.id).map(recordOf),
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

/** A router's definition as the admin API writes it. */
export interface RouterDefinition {
  baseUrl: string;
  authSecretRef: string | null;
  dedicatedSessionIds: number[];
  weight: number;
  maxConcurrency: number;
}

export type RouterWrite =
  | { ok: true; before: RouterRecord | null; after: RouterRecord | null }
  | { ok: false; code: 'no_pool' | 'no_router' | 'id_taken' | 'config_owned' };

function recordOf(r: typeof routers.$inferSelect): RouterRecord {
  return {
    id: r.id,
    poolId: r.poolId,
    baseUrl: r.baseUrl,
    authSecretRef: r.authSecretRef,
    dedicatedSessionIds: r.dedicatedSessionIds,
    ephemeralSessionIds: r.ephemeralSessionIds,
    weight: r.weight,
    maxConcurrency: r.maxConcurrency,
    state: r.state,
    source: r.source,
  };
}

/** Adds a router to a pool, owned by the store (`source: 'admin'`). Pass the transaction of its audit row. */
export async function addRouter(
  store: Store,
  poolId: string,
  id: string,
  def: RouterDefinition,
): Promise<RouterWrite> {
  const [pool] = await store.db
    .select({ id: routerPools.id })
    .from(routerPools)
    .where(eq(routerPools.id, poolId));
  if (!pool) return { ok: false, code: 'no_pool' };
  const [row] = await store.db
    .insert(routers)
    .values({ id, poolId, ...def, source: 'admin' })
    .onConflictDoNothing()
    .returning();
  return row ? { ok: true, before: null, after: recordOf(row) } : { ok: false, code: 'id_taken' };
}

/** Changes (or, with `def` null, removes) a router the admin API added; config routers are refused. */
export async function changeRouter(
  store: Store,
  id: string,
  def: Partial<RouterDefinition> | null,
): Promise<RouterWrite> {
  const [current] = await store.db.select().from(routers).where(eq(routers.id, id)).for('update');
  if (!current) return { ok: false, code: 'no_router' };
  if (current.source !== 'admin') return { ok: false, code: 'config_owned' };
  if (!def) {
    await store.db.delete(routers).where(eq(routers.id, id));
    return { ok: true, before: recordOf(current), after: null };
  }
  const [row] = await store.db
    .update(routers)
    .set({ ...def, updatedAt: sql`now()` })
    .where(eq(routers.id, id))
    .returning();
  return { ok: true, before: recordOf(current), after: row ? recordOf(row) : null };
}

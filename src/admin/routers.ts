/**
 * Admin API — routers without a restart: add a router to a pool, change it, remove it. The definition and its
 * audit row (before / after, reason) are written in one transaction; then `pool.changed` has every instance
 * reload its fleet (within a second; the 30 s periodic reload is the safety net). A removed router takes no
 * new requests; requests in flight on it hold their lease and finish.
 *
 * Routers added here are owned by the store (`source: admin`) and survive restarts; routers the config file
 * lists are changed in the config (409 here) — a start re-seeds them from it. `secret_ref` names the
 * environment variable holding the router's key: the key itself is never sent, stored, returned or logged.
 * URLs: http(s) only, without credentials, query or fragment (the contract's rule); private addresses are
 * allowed on purpose — routers live on the operator's own network, and only admins can add them.
 */
import { createRouterBody, updateRouterBody } from '../contracts/index.js';
import { PortalError } from '../platform/http/errors.js';
import { routeLabel } from '../platform/http/kernel.js';
import { parseJsonBody, parseValue, readOptionalJsonObject } from '../platform/http/body.js';
import { inTransaction, type Store } from '../platform/store/db.js';
import { recordAudit, type Actor } from '../platform/audit.js';
import { newId } from '../platform/ids.js';
import { reasonBody } from '../contracts/index.js';
import {
  addRouter,
  changeRouter,
  type RouterDefinition,
  type RouterRecord,
  type RouterWrite,
} from '../inference/pools/store.js';
import type { PoolView } from '../inference/pools/fleet.js';
import type { AdminApi } from './context.js';
import { adminActor } from './actor.js';

export interface AdminRoutersDeps {
  store: Store;
  /** Reloads this instance, publishes `pool.changed`, and returns the pool's view. */
  announce(poolId: string): Promise<PoolView | undefined>;
}

/** What the audit entry keeps of a router: its definition (the secret's NAME, never a value). */
function audited(r: RouterRecord | null) {
  if (!r) return null;
  return {
    pool_id: r.poolId,
    url: r.baseUrl,
    secret_ref: r.authSecretRef,
    sessions: r.dedicatedSessionIds,
    weight: r.weight,
    max_concurrency: r.maxConcurrency,
  };
}

function definitionOf(body: {
  url?: string;
  secret_ref?: string | null;
  sessions?: number[];
  weight?: number;
  max_concurrency?: number;
}): Partial<RouterDefinition> {
  const def: Partial<RouterDefinition> = {};
  if (body.url !== undefined) def.baseUrl = body.url.replace(/\/+$/, '');
  if (body.secret_ref !== undefined) def.authSecretRef = body.secret_ref;
  if (body.sessions !== undefined) def.dedicatedSessionIds = body.sessions;
  if (body.weight !== undefined) def.weight = body.weight;
  if (body.max_concurrency !== undefined) def.maxConcurrency = body.max_concurrency;
  return def;
}

const REFUSALS = {
  no_pool: (id: string) => new PortalError({ code: 'not_found', message: `No pool ${id}.` }),
  no_router: (id: string) => new PortalError({ code: 'not_found', message: `No router ${id}.` }),
  id_taken: (id: string) =>
    new PortalError({ code: 'conflict', message: `A router with id ${id} exists.`, param: 'id' }),
  config_owned: (id: string) =>
    new PortalError({
      code: 'conflict',
      message: `Router ${id} is defined in the config file: change it there (or drain / disable it here).`,
    }),
};

export function registerAdminRouters(admin: AdminApi, { store, announce }: AdminRoutersDeps) {
  /** One transaction: the write and its audit row; then every instance reloads. */
  async function apply(
    actor: Actor,
    action: 'router.added' | 'router.updated' | 'router.removed',
    target: { id: string; poolId?: string },
    reason: string | undefined,
    write: (tx: Store) => Promise<RouterWrite>,
  ) {
    const result = await inTransaction(store.db, async (tx) => {
      const written = await write({ ...store, db: tx });
      if (!written.ok) return written;
      const poolId = written.after?.poolId ?? written.before?.poolId ?? target.poolId ?? '';
      await recordAudit(tx, {
        actor,
        orgId: null,
        action,
        targetType: 'router',
        targetId: target.id,
        details: { poolId },
        reason,
        before: audited(written.before),
        after: audited(written.after),
      });
      return { ...written, poolId };
    });
    if (!result.ok)
      throw REFUSALS[result.code](result.code === 'no_pool' ? (target.poolId ?? '') : target.id);
    const view = await announce(result.poolId);
    if (!view) throw REFUSALS.no_pool(result.poolId);
    return view;
  }

  admin.post('/pools/:id/routers', routeLabel('/admin/api/pools/:id/routers'), async (c) => {
    const poolId = c.req.param('id');
    const body = await parseJsonBody(c, createRouterBody);
    const id = body.id ?? newId('rtr');
    const def: RouterDefinition = {
      baseUrl: body.url.replace(/\/+$/, ''),
      authSecretRef: body.secret_ref ?? null,
      dedicatedSessionIds: body.sessions ?? [],
      weight: body.weight ?? 1,
      maxConcurrency: body.max_concurrency ?? 64,
    };
    const write = (tx: Store) => addRouter(tx, poolId, id, def);
    const view = await apply(adminActor(c), 'router.added', { id, poolId }, body.reason, write);
    return c.json(view, 201);
  });

  admin.patch('/routers/:id', routeLabel('/admin/api/routers/:id'), async (c) => {
    const id = c.req.param('id');
    const body = await parseJsonBody(c, updateRouterBody);
    const write = (tx: Store) => changeRouter(tx, id, definitionOf(body));
    return c.json(await apply(adminActor(c), 'router.updated', { id }, body.reason, write));
  });

  admin.delete('/routers/:id', routeLabel('/admin/api/routers/:id'), async (c) => {
    const id = c.req.param('id');
    const { reason } = parseValue(reasonBody, await readOptionalJsonObject(c));
    const write = (tx: Store) => changeRouter(tx, id, null);
    return c.json(await apply(adminActor(c), 'router.removed', { id }, reason, write));
  });
}

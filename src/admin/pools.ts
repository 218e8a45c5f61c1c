/**
 * Admin API — router pools: list pools and routers with live health (breaker, in-flight, latency EWMA, error
 * rate, last probe), set a pool's or a router's state (active / draining / disabled), and add, change or
 * remove routers without a restart (./routers.ts). Draining lets in-flight requests finish and sends new ones
 * elsewhere. Every change and its audit row (before, after, reason) are one transaction; then `pool.changed`
 * has every instance reload its fleet.
 */
import { poolStateBody } from '../contracts/index.js';
import { PortalError } from '../platform/http/errors.js';
import { routeLabel } from '../platform/http/kernel.js';
import { setPoolState, setRouterState } from '../inference/pools/store.js';
import { parseJsonBody } from '../platform/http/body.js';
import { inTransaction, type Store } from '../platform/store/db.js';
import type { Bus } from '../platform/bus/types.js';
import { recordAudit, type Actor } from '../platform/audit.js';
import type { InferenceService } from '../inference/inference.js';
import type { AdminApi } from './context.js';
import { adminActor } from './actor.js';
import { registerAdminRouters } from './routers.js';

export interface AdminPoolsDeps {
  store: Store;
  bus: Bus;
  inference: Pick<InferenceService, 'snapshot' | 'demo' | 'reload'>;
}

type Target = { kind: 'pool' | 'router'; id: string; before: string | undefined };

export function registerAdminPools(admin: AdminApi, { store, bus, inference }: AdminPoolsDeps) {
  function poolView(poolId: string) {
    return inference.snapshot().find((p) => p.id === poolId);
  }

  /** This instance reloads now (its answer shows the change); the others on `pool.changed`. */
  async function announce(poolId: string) {
    await inference.reload();
    await bus.publish({ type: 'pool.changed', poolId });
    return poolView(poolId);
  }

  /**
   * Writes a pool's or router's new state and its audit row in one transaction (the pool store writes
   * through `db` only, so it is handed the transaction as its store), then has every instance reload.
   * `write` returns the pool id, or undefined when there is no such pool or router.
   */
  async function changeState(
    actor: Actor,
    target: Target,
    change: { state: string; reason?: string },
    write: (tx: Store) => Promise<string | undefined>,
  ) {
    const poolId = await inTransaction(store.db, async (tx) => {
      const pool = await write({ ...store, db: tx });
      if (!pool) return undefined;
      const where = target.kind === 'router' ? { poolId: pool } : {};
      await recordAudit(tx, {
        actor,
        orgId: null,
        action: `${target.kind}.state_changed`,
        targetType: target.kind === 'router' ? 'router' : 'router_pool',
        targetId: target.id,
        details: { ...where, from: target.before ?? null, to: change.state },
        reason: change.reason,
        before: { state: target.before ?? null },
        after: { state: change.state },
      });
      return pool;
    });
    if (!poolId) throw new PortalError({ code: 'not_found', message: `No ${target.kind} ${target.id}.` });
    return announce(poolId);
  }

  admin.get('/pools', routeLabel('/admin/api/pools'), (c) =>
    c.json({ object: 'list', demo: inference.demo() !== undefined, data: inference.snapshot() }),
  );

  admin.get('/pools/:id', routeLabel('/admin/api/pools/:id'), (c) => {
    const pool = poolView(c.req.param('id'));
    if (!pool) throw new PortalError({ code: 'not_found', message: `No pool ${c.req.param('id')}.` });
    return c.json(pool);
  });

  admin.post('/pools/:id/state', routeLabel('/admin/api/pools/:id/state'), async (c) => {
    const id = c.req.param('id');
    const body = await parseJsonBody(c, poolStateBody);
    const target: Target = { kind: 'pool', id, before: poolView(id)?.state };
    const write = async (tx: Store) => ((await setPoolState(tx, id, body.state)) ? id : undefined);
    return c.json(await changeState(adminActor(c), target, body, write));
  });

  admin.post('/routers/:id/state', routeLabel('/admin/api/routers/:id/state'), async (c) => {
    const id = c.req.param('id');
    const body = await parseJsonBody(c, poolStateBody);
    const routers = inference.snapshot().flatMap((p) => p.routers);
    const target: Target = { kind: 'router', id, before: routers.find((r) => r.id === id)?.state };
    const write = (tx: Store) => setRouterState(tx, id, body.state);
    return c.json(await changeState(adminActor(c), target, body, write));
  });

  registerAdminRouters(admin, { store, announce });
}

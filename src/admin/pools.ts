/**
 * Admin API — router pools: list pools and routers with live health (breaker, in-flight, latency EWMA,
 * last probe), and set a pool's or a router's state (active / draining / disabled). Draining lets in-flight
 * requests finish and sends new ones elsewhere. Every change is audited and announced with `pool.changed`
 * so every instance reloads its fleet.
 */
import type { Hono } from 'hono';
import { poolStateBody } from '../contracts/index.js';
import type { AppEnv } from '../platform/http/context.js';
import { PortalError } from '../platform/http/errors.js';
import { routeLabel } from '../platform/http/kernel.js';
import { setPoolState, setRouterState } from '../inference/pools/store.js';
import { parseJsonBody } from '../platform/http/body.js';
import { inTransaction, type Store } from '../platform/store/db.js';
import type { Bus } from '../platform/bus/types.js';
import { recordAudit, type AuditEntry } from '../platform/audit.js';
import type { InferenceService } from '../inference/inference.js';
import { adminActor } from './actor.js';

export interface AdminPoolsDeps {
  store: Store;
  bus: Bus;
  inference: Pick<InferenceService, 'snapshot' | 'demo' | 'reload'>;
}

export function registerAdminPools(admin: Hono<AppEnv>, { store, bus, inference }: AdminPoolsDeps) {
  /** Runs a state change and its audit row in one transaction (the pool store writes through `db` only). */
  function changeAndAudit<T>(write: (tx: Store) => Promise<T>, entry: (result: T) => AuditEntry | undefined) {
    return inTransaction(store.db, async (tx) => {
      const result = await write({ ...store, db: tx });
      const audit = entry(result);
      if (audit) await recordAudit(tx, audit);
      return result;
    });
  }

  function poolView(poolId: string) {
    return inference.snapshot().find((p) => p.id === poolId);
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
    const poolId = c.req.param('id');
    const { state } = await parseJsonBody(c, poolStateBody);
    const before = poolView(poolId)?.state;
    const actor = adminActor(c);
    const found = await changeAndAudit(
      (tx) => setPoolState(tx, poolId, state),
      (changed) =>
        changed
          ? {
              actor,
              orgId: null,
              action: 'pool.state_changed',
              targetType: 'router_pool',
              targetId: poolId,
              details: { from: before ?? null, to: state },
            }
          : undefined,
    );
    if (!found) throw new PortalError({ code: 'not_found', message: `No pool ${poolId}.` });
    await inference.reload();
    await bus.publish({ type: 'pool.changed', poolId });
    return c.json(poolView(poolId));
  });

  admin.post('/routers/:id/state', routeLabel('/admin/api/routers/:id/state'), async (c) => {
    const routerId = c.req.param('id');
    const { state } = await parseJsonBody(c, poolStateBody);
    const before = inference
      .snapshot()
      .flatMap((p) => p.routers)
      .find((r) => r.id === routerId)?.state;
    const actor = adminActor(c);
    const poolId = await changeAndAudit(
      (tx) => setRouterState(tx, routerId, state),
      (pool) =>
        pool
          ? {
              actor,
              orgId: null,
              action: 'router.state_changed',
              targetType: 'router',
              targetId: routerId,
              details: { poolId: pool, from: before ?? null, to: state },
            }
          : undefined,
    );
    if (!poolId) throw new PortalError({ code: 'not_found', message: `No router ${routerId}.` });
    await inference.reload();
    await bus.publish({ type: 'pool.changed', poolId });
    return c.json(poolView(poolId));
  });
}

/**
 * Admin API — router pools: list pools and routers with live health (breaker, in-flight, latency EWMA,
 * last probe), and set a pool's or a router's state (active / draining / disabled). Draining lets in-flight
 * requests finish and sends new ones elsewhere. Every change is audited and announced with `pool.changed`
 * so every instance reloads its fleet.
 */
import type { Hono } from 'hono';
import type { Services } from '../app.js';
import { poolStateBody } from '../contracts/index.js';
import type { AppEnv } from '../platform/http/context.js';
import { PortalError } from '../platform/http/errors.js';
import { routeLabel } from '../platform/http/kernel.js';
import { setPoolState, setRouterState } from '../inference/pools/store.js';
import { adminActor, recordAudit } from '../product/audit.js';
import { parseJsonBody } from '../product/validation.js';

export function registerAdminPools(admin: Hono<AppEnv>, services: Services) {
  const { store, bus, inference } = services;

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
    if (!(await setPoolState(store, poolId, state)))
      throw new PortalError({ code: 'not_found', message: `No pool ${poolId}.` });
    await recordAudit(store.db, {
      actor: adminActor(c),
      orgId: null,
      action: 'pool.state_changed',
      targetType: 'router_pool',
      targetId: poolId,
      details: { from: before ?? null, to: state },
    });
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
    const poolId = await setRouterState(store, routerId, state);
    if (!poolId) throw new PortalError({ code: 'not_found', message: `No router ${routerId}.` });
    await recordAudit(store.db, {
      actor: adminActor(c),
      orgId: null,
      action: 'router.state_changed',
      targetType: 'router',
      targetId: routerId,
      details: { poolId, from: before ?? null, to: state },
    });
    await inference.reload();
    await bus.publish({ type: 'pool.changed', poolId });
    return c.json(poolView(poolId));
  });
}

/**
 * Admin API for pools: list with health, drain and disable pools and routers; audited, announced on the
 * bus, and effective for routing at once.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { auditLog } from '#src/platform/store/schema.js';
import type { BusMessage } from '#src/platform/bus/types.js';
import { usePortal } from '../support/harness.js';

describe('admin pools API', () => {
  // No pools configured: Portal serves its demo pools (the ones this suite drains and disables).
  const t = usePortal({ config: { pools: [] } });
  const published: BusMessage[] = [];
  const req = (path: string, body?: unknown) =>
    body === undefined ? t.admin.get(`/admin/api${path}`) : t.admin.post(`/admin/api${path}`, body);

  beforeAll(() => {
    t.services.bus.subscribe((m) => published.push(m));
  });

  it('lists pools and routers with health but never a router key', async () => {
    const res = await req('/pools');
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      demo: boolean;
      data: Array<{ id: string; routers: Array<Record<string, unknown>> }>;
    };
    expect(body.demo).toBe(true);
    const qwen = body.data.find((p) => p.id === 'demo-qwen');
    expect(qwen?.routers[0]).toMatchObject({
      id: 'demo-qwen-sim',
      state: 'active',
      inFlight: 0,
      breaker: { state: 'closed' },
    });
    expect(JSON.stringify(body)).not.toContain(process.env.PORTAL_DEMO_ROUTER_KEY);
  });

  it('drains a router: audited, announced, and the model is no longer servable', async () => {
    const res = await req('/routers/demo-qwen-sim/state', { state: 'draining' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { routers: Array<{ state: string }> }).routers[0]?.state).toBe('draining');
    expect(t.services.inference.canServe('qwen')).toBe(false);
    await vi.waitFor(() => expect(published).toContainEqual({ type: 'pool.changed', poolId: 'demo-qwen' }));
    const audit = await t.services.store.db.select().from(auditLog);
    expect(audit.find((a) => a.targetId === 'demo-qwen-sim')).toMatchObject({
      action: 'router.state_changed',
      actorKind: 'admin',
      details: { poolId: 'demo-qwen', from: 'active', to: 'draining' },
    });
    await req('/routers/demo-qwen-sim/state', { state: 'active' });
    expect(t.services.inference.canServe('qwen')).toBe(true);
  });

  it('disables a pool and re-enables it', async () => {
    expect((await req('/pools/demo-gemma4/state', { state: 'disabled' })).status).toBe(200);
    expect(t.services.inference.canServe('gemma4')).toBe(false);
    expect((await req('/pools/demo-gemma4/state', { state: 'active' })).status).toBe(200);
    expect(t.services.inference.canServe('gemma4')).toBe(true);
  });

  it('404 for an unknown pool or router, 400 for an unknown state, 404 without the token, 401 with a wrong one', async () => {
    expect((await req('/pools/nope/state', { state: 'draining' })).status).toBe(404);
    expect((await req('/routers/nope/state', { state: 'draining' })).status).toBe(404);
    expect((await req('/routers/demo-qwen-sim/state', { state: 'paused' })).status).toBe(400);
    // Anonymous callers are not told the admin API exists (docs/decisions/020-admins-as-people.md).
    expect((await t.anon.get('/admin/api/pools')).status).toBe(404);
    const wrong = { authorization: 'Bearer wrong-admin-token-0123456789abcdef' };
    expect((await t.anon.with(wrong).get('/admin/api/pools')).status).toBe(401);
  });
});

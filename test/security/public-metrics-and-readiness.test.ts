/**
 * Finding: /metrics (every route, pool and router counter) and /readyz's detail (which store, spool size, demo
 * pools) were public on the main port. Now: with `server.opsPort` they are served on a separate listener
 * (127.0.0.1 by default) and the main port has no /metrics; without it, /metrics needs the admin token.
 * /readyz on the main port gives only its status unless the admin token comes with it; /healthz stays public.
 */
import { describe, expect, it } from 'vitest';
import { remote, usePortal } from '../support/harness.js';

describe('without an ops port', () => {
  const t = usePortal();

  it('/metrics needs the admin token', async () => {
    const anonymous = await t.anon.get('/metrics');
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toContain('portal_');
    const operator = await t.admin.get('/metrics');
    expect(operator.status).toBe(200);
    expect(await operator.text()).toContain('portal_http_requests_total');
  });

  it('/readyz gives only its status, the detail with the admin token', async () => {
    const anonymous = await t.anon.get('/readyz');
    expect(anonymous.status).toBe(200);
    expect(await anonymous.json()).toEqual({ status: 'ready' });
    expect(await (await t.admin.get('/readyz')).json()).toHaveProperty('checks.store.state', 'ok');
  });

  it('/healthz stays public', async () => {
    expect((await t.anon.get('/healthz')).status).toBe(200);
  });
});

describe('with server.opsPort', () => {
  const t = usePortal({ config: { server: { opsPort: 0 } } });

  it('serves /metrics and /readyz detail on the ops listener, bound to 127.0.0.1', async () => {
    expect(t.portal.opsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const ops = remote(t.portal.opsUrl!).anon;
    expect(await (await ops.get('/metrics')).text()).toContain('portal_http_requests_total');
    expect(await (await ops.get('/readyz')).json()).toHaveProperty('checks.store.state', 'ok');
    expect((await ops.get('/healthz')).status).toBe(200);
    expect((await ops.get('/v1/models')).status).toBe(404);
  });

  it('the main port has no /metrics (even with the token) and only the status on /readyz', async () => {
    expect((await t.admin.get('/metrics')).status).toBe(404);
    expect(await (await t.admin.get('/readyz')).json()).toEqual({ status: 'ready' });
    expect((await t.anon.get('/healthz')).status).toBe(200);
  });
});

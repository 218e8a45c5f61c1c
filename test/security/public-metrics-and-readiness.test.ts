/**
 * Finding: /metrics (every route, pool and router counter) and /readyz's detail (which store, spool size, demo
 * pools) were public on the main port. Now: with `server.opsPort` they are served on a separate listener
 * (127.0.0.1 by default) and the main port has no /metrics; without it, /metrics needs the admin token.
 * /readyz on the main port gives only its status unless the admin token comes with it; /healthz stays public.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPortal, ADMIN_TOKEN, type TestPortal } from '../support/harness.js';

const bearer = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe('without an ops port', () => {
  let t: TestPortal;
  beforeAll(async () => {
    t = await startTestPortal();
  });
  afterAll(() => t?.close());

  it('/metrics needs the admin token', async () => {
    const anonymous = await fetch(`${t.url}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toContain('portal_');
    const operator = await fetch(`${t.url}/metrics`, { headers: bearer });
    expect(operator.status).toBe(200);
    expect(await operator.text()).toContain('portal_http_requests_total');
  });

  it('/readyz gives only its status, the detail with the admin token', async () => {
    const anonymous = await fetch(`${t.url}/readyz`);
    expect(anonymous.status).toBe(200);
    expect(await anonymous.json()).toEqual({ status: 'ready' });
    const operator = (await (await fetch(`${t.url}/readyz`, { headers: bearer })).json()) as object;
    expect(operator).toHaveProperty('checks.store.state', 'ok');
  });

  it('/healthz stays public', async () => {
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });
});

describe('with server.opsPort', () => {
  let t: TestPortal;
  beforeAll(async () => {
    t = await startTestPortal({ config: { server: { host: '127.0.0.1', port: 0, opsPort: 0 } } });
  });
  afterAll(() => t?.close());

  it('serves /metrics and /readyz detail on the ops listener, bound to 127.0.0.1', async () => {
    const ops = t.portal.opsUrl!;
    expect(ops).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${ops}/metrics`)).text()).toContain('portal_http_requests_total');
    expect(await (await fetch(`${ops}/readyz`)).json()).toHaveProperty('checks.store.state', 'ok');
    expect((await fetch(`${ops}/healthz`)).status).toBe(200);
    expect((await fetch(`${ops}/v1/models`)).status).toBe(404);
  });

  it('the main port has no /metrics (even with the token) and only the status on /readyz', async () => {
    expect((await fetch(`${t.url}/metrics`, { headers: bearer })).status).toBe(404);
    expect(await (await fetch(`${t.url}/readyz`, { headers: bearer })).json()).toEqual({ status: 'ready' });
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });
});

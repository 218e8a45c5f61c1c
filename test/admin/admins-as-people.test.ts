/**
 * Admins as people (docs/decisions/020-admins-as-people.md): an admin's dashboard session opens /admin/api
 * (admin by `admin.emails` or by a stored `is_admin`), a signed-in non-admin and an anonymous caller get the
 * unknown-route 404 on every admin route (the route table is walked), a wrong bearer token still gets 401, a
 * cross-site write with an admin's cookie is refused, and the admin API's reads the console needs answer with
 * the operator's view: audit entries, organization search, key lookup, request logs, limits and models.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { adminRoutes } from '#src/contracts/admin-responses.js';
import type {
  AdminKeyList,
  AdminModel,
  AdminOrg,
  AdminOrgPage,
  AuditPage,
  OrgLimits,
  RequestLogPage,
} from '#src/contracts/admin-responses.js';
import { ADMIN_TOKEN, usePortal, type Session } from '../support/harness.js';
import { bearer, chatBody, errorOf, sessionCookie } from '../support/http.js';

const ADMIN_EMAIL = 'console-admin@example.com';

describe('admins as people', () => {
  const t = usePortal({ config: { admin: { token: ADMIN_TOKEN, emails: [ADMIN_EMAIL] } } });
  let admin: Session;
  let adminId: string;
  let customer: Session;

  beforeAll(async () => {
    admin = await t.signUp({ email: ADMIN_EMAIL });
    adminId = ((await (await admin.get('/api/account')).json()) as { user: { id: string } }).user.id;
    customer = await t.signUp();
  });

  /** Every admin route with its parameters filled in. */
  const concrete = adminRoutes.map((r) => ({ method: r.method, path: r.path.replace(/:[a-z_]+/g, 'x') }));

  it('a signed-in non-admin and an anonymous caller get the unknown-route 404 on every admin route', async () => {
    expect(concrete.length).toBeGreaterThan(30);
    for (const who of [customer, t.anon]) {
      for (const { method, path } of concrete) {
        const res = await who.request(method, path, method === 'GET' ? {} : { json: {} });
        const body: unknown = await res.json();
        expect({ route: `${method} ${path}`, status: res.status, body }).toEqual({
          route: `${method} ${path}`,
          status: 404,
          body: {
            error: {
              message: `No route for ${method} ${path}.`,
              type: 'not_found_error',
              param: null,
              code: 'not_found',
            },
          },
        });
      }
    }
    // And the same answer as a path no route serves at all.
    const unknown = await t.anon.request('DELETE', '/no-such-route');
    expect(await unknown.json()).toEqual({
      error: {
        message: 'No route for DELETE /no-such-route.',
        type: 'not_found_error',
        param: null,
        code: 'not_found',
      },
    });
  });

  it('a non-admin’s account says is_admin false, the admin’s true', async () => {
    expect(await (await customer.get('/api/account')).json()).toMatchObject({ is_admin: false });
    expect(await (await admin.get('/api/account')).json()).toMatchObject({ is_admin: true });
  });

  it('a wrong bearer token is 401, the right one still works', async () => {
    const wrong = await t.anon.with(bearer('not-the-admin-token-0123456789abcdef')).get('/admin/api/pools');
    expect(await errorOf(wrong)).toMatchObject({ status: 401, code: 'unauthorized' });
    expect((await t.admin.get('/admin/api/pools')).status).toBe(200);
  });

  it('a user created with --admin (stored is_admin) signs in to the admin API', async () => {
    const email = `stored-admin-${Date.now()}@example.com`;
    const password = 'a long admin-set passphrase';
    const created = await t.admin.post('/admin/api/users', { email, password, admin: true });
    expect(created.status).toBe(201);
    const signedIn = await t.anon.post('/api/auth/sign-in/email', { email, password });
    const session = t.withCookie(sessionCookie(signedIn));
    expect((await session.get('/admin/api/pools')).status).toBe(200);
    expect(await (await session.get('/api/account')).json()).toMatchObject({ is_admin: true });
  });

  it('a disabled admin is refused like a non-admin', async () => {
    const email = `disabled-admin-${Date.now()}@example.com`;
    const password = 'a long admin-set passphrase';
    const created = (await (
      await t.admin.post('/admin/api/users', { email, password, admin: true })
    ).json()) as {
      id: string;
    };
    const session = t.withCookie(
      sessionCookie(await t.anon.post('/api/auth/sign-in/email', { email, password })),
    );
    expect((await session.get('/admin/api/pools')).status).toBe(200);
    await t.store.query(`update users set status = 'disabled' where id = $1`, [created.id]);
    expect(await errorOf(await session.get('/admin/api/pools'))).toMatchObject({
      status: 404,
      code: 'not_found',
    });
  });

  it('a cross-site write with an admin’s cookie is refused and changes nothing', async () => {
    const { keyId } = await t.account();
    const res = await admin.post(
      `/admin/api/keys/${keyId}/disable`,
      {},
      { headers: { origin: 'https://evil.example' } },
    );
    expect(await errorOf(res)).toMatchObject({ status: 403, code: 'csrf_rejected' });
    const key = (await (await admin.get(`/admin/api/keys/${keyId}`)).json()) as { status: string };
    expect(key.status).toBe('active');
  });

  it('an admin’s key disable is audited once, naming the admin, with reason, before and after', async () => {
    const { keyId, orgId } = await t.account();
    expect((await admin.post(`/admin/api/keys/${keyId}/disable`, { reason: 'abuse report 42' })).status).toBe(
      200,
    );
    const page = (await (await admin.get(`/admin/api/audit?target_id=${keyId}`)).json()) as AuditPage;
    expect(page.data).toHaveLength(1);
    expect(page.data[0]).toMatchObject({
      actor: { kind: 'user', id: adminId, email: ADMIN_EMAIL },
      action: 'key.disabled',
      target_type: 'api_key',
      org_id: orgId,
      reason: 'abuse report 42',
      before: { status: 'active' },
      after: { status: 'disabled' },
    });
    // The token names no person: its entries say so.
    expect((await t.admin.request('DELETE', `/admin/api/keys/${keyId}`, { json: {} })).status).toBe(200);
    const both = (await (await admin.get(`/admin/api/audit?target_id=${keyId}`)).json()) as AuditPage;
    expect(both.data[0]).toMatchObject({
      action: 'key.revoked',
      actor: { kind: 'admin', id: null, email: null },
    });
  });

  it('a key an admin creates for a customer is audited with the reason', async () => {
    const { orgId } = await t.account();
    const res = await admin.post('/admin/api/keys', { org_id: orgId, name: 'support', reason: 'ticket 7' });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const page = (await (await admin.get(`/admin/api/audit?target_id=${id}`)).json()) as AuditPage;
    expect(page.data).toEqual([
      expect.objectContaining({
        action: 'key.created',
        actor: { kind: 'user', id: adminId, email: ADMIN_EMAIL },
        reason: 'ticket 7',
        before: null,
        after: { name: 'support', status: 'active' },
      }),
    ]);
  });

  it('the audit list pages newest first with a cursor and filters by action', async () => {
    const { orgId } = await t.account();
    for (const action of ['disable', 'enable', 'disable'])
      await admin.post(`/admin/api/orgs/${orgId}/${action}`, { reason: action });
    const first = (await (await admin.get(`/admin/api/audit?org_id=${orgId}&limit=2`)).json()) as AuditPage;
    expect(first.data.map((e) => e.action)).toEqual(['org.disabled', 'org.enabled']);
    expect(first.next_cursor).not.toBeNull();
    const next = await admin.get(`/admin/api/audit?org_id=${orgId}&limit=2&cursor=${first.next_cursor}`);
    const second = (await next.json()) as AuditPage;
    expect(second.data.map((e) => e.action)).toEqual(['org.disabled']);
    expect(second.next_cursor).toBeNull();
    const filtered = (await (
      await admin.get(`/admin/api/audit?org_id=${orgId}&action=org.enabled`)
    ).json()) as AuditPage;
    expect(filtered.data).toHaveLength(1);
    expect((await errorOf(await admin.get('/admin/api/audit?cursor=%%%'))).status).toBe(400);
  });

  it('organizations: search by owner email, plan and status; one with owner, plan, keys and credits', async () => {
    const owner = await t.signUp({ email: `findable-${Date.now()}@example.com` });
    const account = (await (await owner.get('/api/account')).json()) as { organization: { id: string } };
    const orgId = account.organization.id;
    await owner.post('/api/keys', { name: 'one' });
    const found = (await (
      await admin.get(`/admin/api/orgs?q=${encodeURIComponent(owner.email.slice(0, 12))}`)
    ).json()) as AdminOrgPage;
    expect(found.data.map((o) => o.id)).toContain(orgId);
    expect(found.data.find((o) => o.id === orgId)).toMatchObject({
      owner_email: owner.email,
      key_count: 1,
      plan: { id: 'free' },
      status: 'active',
    });
    const wildcard = (await (await admin.get('/admin/api/orgs?q=%25')).json()) as AdminOrgPage;
    expect(wildcard.data.map((o) => o.id)).not.toContain(orgId);
    await admin.post(`/admin/api/orgs/${orgId}/plan`, { plan_id: 'credits', reason: 'trial' });
    await admin.post(`/admin/api/orgs/${orgId}/ledger`, {
      kind: 'grant',
      amount_micros: 2_000_000,
      reason: 'trial',
    });
    const one = (await (await admin.get(`/admin/api/orgs/${orgId}`)).json()) as AdminOrg;
    expect(one).toMatchObject({ plan: { id: 'credits', kind: 'credits' }, credit_balance: 2_000_000 });
    const onCredits = (await (
      await admin.get('/admin/api/orgs?plan=credits&limit=200')
    ).json()) as AdminOrgPage;
    expect(onCredits.data.every((o) => o.plan?.id === 'credits')).toBe(true);
    const audit = (await (await admin.get(`/admin/api/audit?target_id=${orgId}`)).json()) as AuditPage;
    expect(audit.data.find((e) => e.action === 'ledger.grant')).toMatchObject({
      reason: 'trial',
      before: { balance_micros: 0 },
      after: { balance_micros: 2_000_000 },
    });
    expect(audit.data.find((e) => e.action === 'plan.changed')).toMatchObject({
      before: { plan_id: 'free' },
      after: { plan_id: 'credits' },
    });
  });

  it('keys: found by the visible prefix a customer reads out, and by id', async () => {
    const { keyId, key, orgId } = await t.account();
    const list = (await (
      await admin.get(`/admin/api/keys?prefix=${encodeURIComponent(key.slice(0, 14))}`)
    ).json()) as AdminKeyList;
    expect(list.data.map((k) => k.id)).toContain(keyId);
    expect(list.org_id).toBeNull();
    expect(await (await admin.get(`/admin/api/keys/${keyId}`)).json()).toMatchObject({
      id: keyId,
      org_id: orgId,
    });
    expect((await admin.get('/admin/api/keys?prefix=short')).status).toBe(400);
  });

  it('models: pricing and the pools that serve each; a disabled model is refused and audited', async () => {
    const models = ((await (await admin.get('/admin/api/models')).json()) as { data: AdminModel[] }).data;
    expect(models.find((m) => m.id === 'qwen')).toMatchObject({ pools: ['test-pool'], servable: true });
    expect(models.find((m) => m.id === 'qwen')?.pricing).toEqual({
      input_per_mtok_micros: expect.any(Number),
      output_per_mtok_micros: expect.any(Number),
    });
    const { key } = await t.account();
    expect((await admin.post('/admin/api/models/qwen/disable', { reason: 'eval failed' })).status).toBe(200);
    try {
      const refused = await t.as(key).post('/v1/chat/completions', chatBody({ model: 'qwen' }));
      expect((await errorOf(refused)).code).toBe('model_disabled');
    } finally {
      await admin.post('/admin/api/models/qwen/enable');
    }
    expect((await t.as(key).post('/v1/chat/completions', chatBody({ model: 'qwen' }))).status).toBe(200);
    expect((await errorOf(await admin.post('/admin/api/models/nope/disable'))).status).toBe(404);
  });

  it('request logs: filtered by organization, key, status and error code, paged; one by id', async () => {
    const one = await t.account();
    const other = await t.account();
    for (let i = 0; i < 3; i++) await t.as(one.key).post('/v1/chat/completions', chatBody());
    await t.as(one.key).post('/v1/chat/completions', chatBody({ model: 'no-such-model' }));
    await t.as(other.key).post('/v1/chat/completions', chatBody());
    await t.services.metering.flush();
    const get = async (q: string) =>
      (await (await admin.get(`/admin/api/requests?${q}`)).json()) as RequestLogPage;
    const mine = await get(`org_id=${one.orgId}`);
    expect(mine.data).toHaveLength(4);
    expect(mine.data.every((r) => r.orgId === one.orgId)).toBe(true);
    expect((await get(`key_id=${other.keyId}`)).data).toHaveLength(1);
    expect((await get(`org=${one.orgId}&status=200`)).data).toHaveLength(3);
    const failed = await get(`org_id=${one.orgId}&error_code=model_not_found`);
    expect(failed.data.map((r) => r.status)).toEqual([404]);
    const page1 = await get(`org_id=${one.orgId}&limit=3`);
    const page2 = await get(`org_id=${one.orgId}&limit=3&cursor=${page1.next_cursor}`);
    expect([...page1.data, ...page2.data].map((r) => r.requestId)).toEqual(mine.data.map((r) => r.requestId));
    expect(page2.next_cursor).toBeNull();
    const id = mine.data[0]!.requestId;
    expect(await (await admin.get(`/admin/api/requests/${id}`)).json()).toMatchObject({ requestId: id });
    expect((await errorOf(await admin.get('/admin/api/requests?status=42'))).status).toBe(400);
  });

  it('org limits: the windows in use, what remains and when they free up', async () => {
    const { key, orgId } = await t.account();
    await t.as(key).post('/v1/chat/completions', chatBody());
    const limits = (await (await admin.get(`/admin/api/orgs/${orgId}/limits`)).json()) as OrgLimits;
    expect(limits.data.length).toBeGreaterThan(0);
    const counted = limits.data.filter((w) => w.used > 0);
    expect(counted.map((w) => w.name)).toContain('requests_per_day');
    for (const w of counted) {
      expect(w.remaining).toBe(Math.max(0, w.limit - w.used));
      expect(w.resets_at).not.toBeNull();
    }
  });

  it('a router removed while a stream runs on it lets the stream finish; new requests find no router', async () => {
    const { key } = await t.account();
    const added = await admin.post('/admin/api/pools/test-pool/routers', {
      id: 'inflight-r',
      url: t.sim.url,
      secret_ref: 'PORTAL_TEST_SIM_KEY',
      sessions: [9],
    });
    expect(added.status).toBe(201);
    expect((await admin.post('/admin/api/routers/test-pool-r1/state', { state: 'disabled' })).status).toBe(
      200,
    );
    const saved = t.sim.options();
    t.sim.configure({ ttftMs: 0, tokensPerSecond: 25, outputTokens: 25, errorRate: 0 });
    try {
      const res = await t.as(key).post('/v1/chat/completions', chatBody({ stream: true }));
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = decoder.decode((await reader.read()).value, { stream: true });
      expect(text).not.toContain('[DONE]'); // still running on the router when it is removed
      expect((await admin.delete('/admin/api/routers/inflight-r')).status).toBe(200);
      const pool = (await (await admin.get('/admin/api/pools/test-pool')).json()) as {
        routers: Array<{ id: string }>;
      };
      expect(pool.routers.map((r) => r.id)).not.toContain('inflight-r');
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      expect(text).toContain('data: [DONE]');
      expect(text).not.toContain('"error"');
      const after = await t.as(key).post('/v1/chat/completions', chatBody());
      expect((await errorOf(after)).code).toBe('upstream_unavailable');
    } finally {
      t.sim.configure(saved);
      await admin.post('/admin/api/routers/test-pool-r1/state', { state: 'active' });
    }
    expect((await t.as(key).post('/v1/chat/completions', chatBody())).status).toBe(200);
  });

  it('org usage: daily buckets over the asked days', async () => {
    const { key, orgId } = await t.account();
    await t.as(key).post('/v1/chat/completions', chatBody());
    await t.services.metering.flush();
    const usage = (await (await admin.get(`/admin/api/orgs/${orgId}/usage?days=7`)).json()) as {
      totals: { requests: number };
      series: unknown[];
    };
    expect(usage.totals.requests).toBe(1);
    expect(usage.series.length).toBeGreaterThanOrEqual(1);
    expect((await admin.get(`/admin/api/orgs/${orgId}/usage?days=0`)).status).toBe(400);
  });
});

/**
 * The product API against its contract (src/contracts): every route the app registers under /api (better-auth's
 * /api/auth/* aside) is in `productRoutes`, and every route's success and error bodies parse with their strict
 * schemas, so a renamed, missing or extra field fails here before the dashboard sees it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  createKeyBody,
  errorBody,
  productRoutes,
  updateKeyBody,
  usageQuery,
  type CreatedKey,
  type RouteContract,
} from '#src/contracts/index.js';
import { usageEvent } from '../metering/support.js';
import { usePortal, type Session } from '../support/harness.js';
import { chatBody, type Caller } from '../support/http.js';

/** Routes that cannot answer an error on purpose: public and constant. */
const NO_ERROR_CASE = new Set(['GET /api/auth/provider', 'GET /api/docs']);

const label = (r: Pick<RouteContract, 'method' | 'path'>) => `${r.method} ${r.path}`;

function contractOf(method: RouteContract['method'], path: string): RouteContract {
  const found = productRoutes.find((r) => r.method === method && r.path === path);
  if (!found) throw new Error(`no contract for ${method} ${path}`);
  return found;
}

describe('product API contract', () => {
  const portal = usePortal();
  let alice: Session;
  let bob: Session;
  let key: CreatedKey;
  const succeeded = new Set<string>();
  const failed = new Set<string>();

  /** Calls `path` as `route` expects to succeed; the body must match the route's response schema. */
  async function ok<T>(
    send: Caller,
    method: RouteContract['method'],
    route: string,
    path = route,
    json?: unknown,
  ) {
    const contract = contractOf(method, route);
    const res = await send.request(method, path, { json });
    const body: unknown = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(contract.status);
    const parsed = contract.response.safeParse(body);
    expect(parsed.error?.issues ?? [], `${label(contract)} response`).toEqual([]);
    succeeded.add(label(contract));
    return body as T;
  }

  /** Calls `path` as `route` expects to fail with `status`; the body must be the shared error body. */
  async function fails(
    send: Caller,
    method: RouteContract['method'],
    route: string,
    status: number,
    init: { path?: string; json?: unknown; body?: string; headers?: Record<string, string> } = {},
  ) {
    const contract = contractOf(method, route);
    const { path = route, ...rest } = init;
    const res = await send.request(method, path, rest);
    const body: unknown = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(status);
    expect(errorBody.safeParse(body).error?.issues ?? [], `${label(contract)} error`).toEqual([]);
    failed.add(label(contract));
    return body as z.infer<typeof errorBody>;
  }

  beforeAll(async () => {
    alice = await portal.signUp();
    bob = await portal.signUp();
  });

  it('lists every /api route the app registers (better-auth’s /api/auth/* aside)', () => {
    const registered = portal.app.routes
      .filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/') && !r.path.startsWith('/api/auth/'))
      .map((r) => `${r.method} ${r.path}`);
    const listed = new Set(productRoutes.map(label));
    expect(registered.length).toBeGreaterThan(0);
    expect(registered.filter((r) => !listed.has(r))).toEqual([]);
    // And the table lists nothing the app does not serve.
    const served = new Set(portal.app.routes.map((r) => `${r.method} ${r.path}`));
    expect([...listed].filter((r) => !served.has(r))).toEqual([]);
  });

  it('GET /api/auth/provider matches its contract', async () => {
    await ok(portal.anon, 'GET', '/api/auth/provider');
  });

  it('GET /api/docs matches its contract, signed out', async () => {
    await ok(portal.anon, 'GET', '/api/docs');
  });

  it('GET /api/account: 200 signed in, 401 signed out', async () => {
    await ok(alice, 'GET', '/api/account');
    await fails(portal.anon, 'GET', '/api/account', 401);
  });

  it('GET /api/models: 200 signed in, 401 signed out', async () => {
    await ok(alice, 'GET', '/api/models');
    await fails(portal.anon, 'GET', '/api/models', 401);
  });

  it('POST /api/keys: 201 with the key, 400 on a bad name or broken JSON', async () => {
    const input = { name: 'contract', models: ['oss-20b'], limits: { requests_per_minute: 100 } };
    expect(createKeyBody.safeParse(input).success).toBe(true);
    key = await ok<CreatedKey>(alice, 'POST', '/api/keys', '/api/keys', input);
    const bad = await fails(alice, 'POST', '/api/keys', 400, { json: { name: '<b>x</b>' } });
    expect(bad.error.param).toBe('name');
    const broken = { body: '{"name":', headers: { 'content-type': 'application/json' } };
    expect((await fails(alice, 'POST', '/api/keys', 400, broken)).error.code).toBe('invalid_json');
  });

  it('GET /api/keys: 200 signed in, 401 signed out', async () => {
    await ok(alice, 'GET', '/api/keys');
    await fails(portal.anon, 'GET', '/api/keys', 401);
  });

  it('GET /api/keys/:id: 200 for the owner, 404 for another organization', async () => {
    await ok(alice, 'GET', '/api/keys/:id', `/api/keys/${key.id}`);
    await fails(bob, 'GET', '/api/keys/:id', 404, { path: `/api/keys/${key.id}` });
  });

  it('PATCH /api/keys/:id: 200 renamed, 400 on an unknown field, 404 for another organization', async () => {
    const input = { name: 'renamed', limits: { tokens_per_minute: null } };
    expect(updateKeyBody.safeParse(input).success).toBe(true);
    await ok(alice, 'PATCH', '/api/keys/:id', `/api/keys/${key.id}`, input);
    await fails(alice, 'PATCH', '/api/keys/:id', 400, {
      path: `/api/keys/${key.id}`,
      json: { colour: 'red' },
    });
    await fails(bob, 'PATCH', '/api/keys/:id', 404, { path: `/api/keys/${key.id}`, json: { name: 'x' } });
  });

  it('GET /api/usage: 200 with totals and limit windows, 400 on a bad range or an unknown parameter', async () => {
    const chat = await portal.as(key.key).post('/v1/chat/completions', chatBody());
    expect(chat.status).toBe(200);
    const orgId = (await (await alice.get('/api/account')).json()).organization.id;
    portal.services.metering.recordUsage(usageEvent({ orgId, keyId: key.id, occurredAt: new Date() }));
    await portal.services.metering.flush();
    expect(usageQuery.safeParse({ granularity: 'hour' }).success).toBe(true);
    const usage = await ok<{ windows: unknown[]; by_key: unknown[] }>(
      alice,
      'GET',
      '/api/usage',
      '/api/usage?granularity=hour',
    );
    expect(usage.by_key.length).toBeGreaterThan(0);
    expect(usage.windows.length).toBeGreaterThan(0);
    await fails(alice, 'GET', '/api/usage', 400, { path: '/api/usage?from=2026-11-02&to=2026-11-01' });
    await fails(alice, 'GET', '/api/usage', 400, { path: '/api/usage?colour=red' });
  });

  it('GET /api/requests and /api/requests/:request_id: the organization’s own calls, 404 for another’s', async () => {
    const chat = await portal.as(key.key).post('/v1/chat/completions', chatBody());
    const requestId = chat.headers.get('x-request-id') ?? '';
    await portal.services.metering.flush();
    const page = await ok<{ data: Array<{ request_id: string; key_name: string | null }> }>(
      alice,
      'GET',
      '/api/requests',
      '/api/requests?limit=2',
    );
    expect(page.data[0]).toMatchObject({ request_id: requestId, key_name: 'renamed' });
    await fails(alice, 'GET', '/api/requests', 400, { path: '/api/requests?limit=0' });
    await fails(portal.anon, 'GET', '/api/requests', 401);
    await ok(alice, 'GET', '/api/requests/:request_id', `/api/requests/${requestId}`);
    await fails(bob, 'GET', '/api/requests/:request_id', 404, { path: `/api/requests/${requestId}` });
    const bobs = await ok<{ data: unknown[] }>(bob, 'GET', '/api/requests');
    expect(bobs.data).toEqual([]);
  });

  it('GET /api/plan: 200 signed in, 401 signed out', async () => {
    await ok(alice, 'GET', '/api/plan');
    await fails(portal.anon, 'GET', '/api/plan', 401);
  });

  it('DELETE /api/keys/:id: 200 revoked, 404 for another organization', async () => {
    await fails(bob, 'DELETE', '/api/keys/:id', 404, { path: `/api/keys/${key.id}` });
    const revoked = await ok<{ status: string }>(alice, 'DELETE', '/api/keys/:id', `/api/keys/${key.id}`);
    expect(revoked.status).toBe('revoked');
  });

  it('covered every listed route, success and error', () => {
    const routes = productRoutes.map(label);
    expect(routes.filter((r) => !succeeded.has(r))).toEqual([]);
    expect(routes.filter((r) => !failed.has(r) && !NO_ERROR_CASE.has(r))).toEqual([]);
  });
});

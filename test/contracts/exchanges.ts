/**
 * Real answers of every /v1, /api and /admin/api route, success and error, recorded as `Exchange`s for the
 * contract tests (zod contracts, the OpenAPI document). Each call names the route as Hono registers it, so a
 * test can check that every registered route was exercised both ways. Streams are recorded as their text.
 */
import type { RouteContract } from '#src/contracts/index.js';
import type { TestPortal } from '../support/harness.js';
import { bearer, chatBody, type Caller } from '../support/http.js';

export interface Exchange {
  method: RouteContract['method'];
  /** The route as registered, e.g. `/api/keys/:id`, `/v1/models/:id{.+}`. */
  route: string;
  status: number;
  headers: Headers;
  /** Parsed JSON, or the raw text of an event stream. */
  body: unknown;
  stream: boolean;
}

type Init = { path?: string; json?: unknown; body?: string; headers?: Record<string, string> };

const DEMO_MODEL = 'oss-20b';

export async function recordExchanges(portal: TestPortal): Promise<Exchange[]> {
  const exchanges: Exchange[] = [];
  const alice = await portal.signUp();
  const bob = await portal.signUp();

  /** Calls `route` (at `init.path`, else the route itself) as `who`, and records the answer. */
  async function call(who: Caller | null, method: Exchange['method'], route: string, init: Init = {}) {
    const { path = route, ...rest } = init;
    const res = await (who ?? portal.anon).request(method, path, rest);
    const stream = (res.headers.get('content-type') ?? '').startsWith('text/event-stream');
    const body: unknown = stream ? await res.text() : await res.json();
    exchanges.push({ method, route, status: res.status, headers: res.headers, body, stream });
    return body as Record<string, unknown>;
  }

  await productCalls(call, alice, bob);
  const key = (await call(alice, 'POST', '/api/keys', { json: { name: 'v1 calls' } })).key as string;
  await v1Calls(call, key);
  await portal.services.metering.flush();
  await requestCalls(call, alice, bob);
  await adminCalls(call, portal.admin, alice);
  return exchanges;
}

type Call = (
  who: Caller | null,
  method: Exchange['method'],
  route: string,
  init?: Init,
) => Promise<Record<string, unknown>>;

async function productCalls(call: Call, alice: Caller, bob: Caller) {
  await call(null, 'GET', '/api/auth/provider');
  await call(null, 'GET', '/api/docs');
  for (const route of ['/api/account', '/api/models', '/api/keys', '/api/plan', '/api/usage']) {
    await call(alice, 'GET', route);
    await call(null, 'GET', route);
  }
  await call(alice, 'GET', '/api/usage', { path: '/api/usage?colour=red' });
  const created = await call(alice, 'POST', '/api/keys', {
    json: { name: 'contract', models: [DEMO_MODEL] },
  });
  await call(alice, 'POST', '/api/keys', { json: { name: '<b>' } });
  const broken = { body: '{"name":', headers: { 'content-type': 'application/json' } };
  await call(alice, 'POST', '/api/keys', broken);
  await call(alice, 'POST', '/api/keys', {
    json: { name: 'x' },
    headers: { origin: 'https://evil.example' },
  });
  const at = `/api/keys/${String(created.id)}`;
  await call(alice, 'GET', '/api/keys/:id', { path: at });
  await call(bob, 'GET', '/api/keys/:id', { path: at });
  await call(alice, 'PATCH', '/api/keys/:id', { path: at, json: { name: 'renamed' } });
  await call(alice, 'PATCH', '/api/keys/:id', { path: at, json: { colour: 'red' } });
  await call(bob, 'DELETE', '/api/keys/:id', { path: at });
  await call(alice, 'DELETE', '/api/keys/:id', { path: at });
}

/** The organization's own request log (after the /v1 calls were written). */
async function requestCalls(call: Call, alice: Caller, bob: Caller) {
  const list = await call(alice, 'GET', '/api/requests', { path: '/api/requests?limit=5' });
  await call(alice, 'GET', '/api/requests', { path: '/api/requests?limit=0' });
  await call(null, 'GET', '/api/requests');
  const first = (list.data as Array<{ request_id: string }>)[0]!;
  const path = `/api/requests/${first.request_id}`;
  await call(alice, 'GET', '/api/requests/:request_id', { path });
  await call(bob, 'GET', '/api/requests/:request_id', { path });
}

async function v1Calls(call: Call, key: string) {
  const auth = bearer(key);
  const anthropic = { 'x-api-key': key, 'anthropic-version': '2023-06-01' };
  const post = (route: string, json: unknown, headers: Record<string, string> = auth) =>
    call(null, 'POST', route, { json, headers });
  await post('/v1/chat/completions', chatBody());
  await post('/v1/chat/completions', chatBody({ stream: true, stream_options: { include_usage: true } }));
  await post('/v1/chat/completions', chatBody({ colour: 'red' }));
  await post('/v1/chat/completions', chatBody({ model: 'no-such-model' }));
  await post('/v1/chat/completions', chatBody(), {});
  await post('/v1/completions', { model: DEMO_MODEL, prompt: 'Once', max_tokens: 8 });
  await post('/v1/completions', { model: DEMO_MODEL, prompt: 'Once', max_tokens: 8, stream: true });
  await post('/v1/completions', { model: DEMO_MODEL });
  await post('/v1/messages', chatBody(), anthropic);
  await post('/v1/messages', chatBody({ stream: true }), anthropic);
  await post('/v1/messages', chatBody({ max_tokens: 0 }), anthropic);
  await post('/v1/messages', chatBody(), { 'anthropic-version': '2023-06-01' });
  for (const headers of [auth, anthropic]) {
    await call(null, 'GET', '/v1/models', { headers });
    await call(null, 'GET', '/v1/models/:id{.+}', { path: `/v1/models/${DEMO_MODEL}`, headers });
    await call(null, 'GET', '/v1/models/:id{.+}', { path: '/v1/models/nope', headers });
  }
  await call(null, 'GET', '/v1/models');
}

type Both = (
  method: Exchange['method'],
  route: string,
  ok: Init,
  bad: Init & { unauth?: boolean },
) => Promise<Record<string, unknown>>;

/** `both`: a route's success as the admin, then its failure (as the admin, or as a signed-in user without the
 * token: `unauth`). */
function bothOf(call: Call, admin: Caller, alice: Caller): Both {
  return async (method, route, ok, bad) => {
    const body = await call(admin, method, route, ok);
    const { unauth, ...init } = bad;
    await call(unauth ? alice : admin, method, route, init);
    return body;
  };
}

async function adminCalls(call: Call, admin: Caller, alice: Caller) {
  const both = bothOf(call, admin, alice);
  const email = `ops-${Date.now()}@example.com`;
  const password = 'a long admin-set passphrase';
  const user = await call(admin, 'POST', '/admin/api/users', { json: { email, password, name: 'Ops' } });
  await call(admin, 'POST', '/admin/api/users', { json: { email, password } });
  await call(admin, 'POST', '/admin/api/users', { json: { email: 'not-an-email', password: 'x' } });
  await both('GET', '/admin/api/users', { path: `/admin/api/users?email=${email}` }, { unauth: true });
  const userPath = `/admin/api/users/${String(user.id)}`;
  await both('GET', '/admin/api/users/:id', { path: userPath }, { path: '/admin/api/users/usr_nope' });
  const orgId = String(user.org_id);
  const key = await both(
    'POST',
    '/admin/api/keys',
    { json: { email, name: 'ops' } },
    { json: { name: 'x' } },
  );
  await both('GET', '/admin/api/keys', { path: `/admin/api/keys?org_id=${orgId}` }, {});
  const keyById = { path: `/admin/api/keys/${String(key.id)}` };
  await both('GET', '/admin/api/keys/:id', keyById, { path: '/admin/api/keys/key_nope' });
  for (const action of ['disable', 'enable']) {
    const ok = { path: `/admin/api/keys/${String(key.id)}/${action}` };
    await both('POST', `/admin/api/keys/:id/${action}`, ok, { path: `/admin/api/keys/key_nope/${action}` });
  }
  const keyPath = `/admin/api/keys/${String(key.id)}`;
  await both('DELETE', '/admin/api/keys/:id', { path: keyPath }, { path: '/admin/api/keys/key_nope' });
  await orgCalls(both, orgId);
  await fleetCalls(call, admin, alice);
}

async function orgCalls(both: Both, orgId: string) {
  const org = `/admin/api/orgs/${orgId}`;
  await both('GET', '/admin/api/orgs/:id', { path: org }, { path: '/admin/api/orgs/nope' });
  await both(
    'GET',
    '/admin/api/orgs',
    { path: '/admin/api/orgs?q=ops' },
    { path: '/admin/api/orgs?limit=0' },
  );
  const usage = { path: `${org}/usage?days=7` };
  await both('GET', '/admin/api/orgs/:id/usage', usage, { path: '/admin/api/orgs/nope/usage' });
  for (const action of ['disable', 'enable']) {
    const ok = { path: `${org}/${action}`, json: { reason: 'test' } };
    await both('POST', `/admin/api/orgs/:id/${action}`, ok, { path: `/admin/api/orgs/nope/${action}` });
  }
  await both(
    'GET',
    '/admin/api/orgs/:id/limits',
    { path: `${org}/limits` },
    { path: `${org}/limits`, unauth: true },
  );
  await both('GET', '/admin/api/metering', {}, { unauth: true });
  await both('GET', '/admin/api/plans', {}, { unauth: true });
  const plan = `${org}/plan`;
  await both(
    'POST',
    '/admin/api/orgs/:id/plan',
    { path: plan, json: { plan_id: 'free' } },
    {
      path: plan,
      json: { plan_id: 'no-such-plan' },
    },
  );
  const ledger = `${org}/ledger`;
  await both('GET', '/admin/api/orgs/:id/ledger', { path: ledger }, { path: '/admin/api/orgs/nope/ledger' });
  const grant = (amount_micros: number) => ({ path: ledger, json: { kind: 'grant', amount_micros } });
  await both('POST', '/admin/api/orgs/:id/ledger', grant(5), grant(0));
  await both(
    'GET',
    '/admin/api/audit',
    { path: '/admin/api/audit?limit=5' },
    { path: '/admin/api/audit?limit=0' },
  );
}

/** A router added, changed and removed (at the demo simulator's URL, so it would serve). */
async function routerCalls(
  call: Call,
  admin: Caller,
  pool: { id: string; routers: Array<{ baseUrl: string }> },
) {
  const add = '/admin/api/pools/:id/routers';
  const url = pool.routers[0]!.baseUrl;
  await call(admin, 'POST', add, {
    path: `/admin/api/pools/${pool.id}/routers`,
    json: { id: 'contract-rtr', url },
  });
  await call(admin, 'POST', add, { path: `/admin/api/pools/${pool.id}/routers`, json: { url: 'ftp://x' } });
  const at = '/admin/api/routers/contract-rtr';
  await call(admin, 'PATCH', '/admin/api/routers/:id', { path: at, json: { weight: 2, reason: 'test' } });
  await call(admin, 'PATCH', '/admin/api/routers/:id', {
    path: '/admin/api/routers/nope',
    json: { weight: 2 },
  });
  await call(admin, 'DELETE', '/admin/api/routers/:id', { path: at });
  await call(admin, 'DELETE', '/admin/api/routers/:id', { path: at });
}

async function fleetCalls(call: Call, admin: Caller, alice: Caller) {
  const pools = await call(admin, 'GET', '/admin/api/pools');
  await call(alice, 'GET', '/admin/api/pools');
  const pool = (
    pools.data as Array<{
      id: string;
      state: string;
      routers: Array<{ id: string; state: string; baseUrl: string }>;
    }>
  )[0]!;
  await routerCalls(call, admin, pool);
  await call(admin, 'GET', '/admin/api/pools/:id', { path: `/admin/api/pools/${pool.id}` });
  await call(admin, 'GET', '/admin/api/pools/:id', { path: '/admin/api/pools/nope' });
  const state = (path: string, value: string) => ({ path, json: { state: value } });
  await call(
    admin,
    'POST',
    '/admin/api/pools/:id/state',
    state(`/admin/api/pools/${pool.id}/state`, pool.state),
  );
  await call(
    admin,
    'POST',
    '/admin/api/pools/:id/state',
    state(`/admin/api/pools/${pool.id}/state`, 'asleep'),
  );
  const router = pool.routers[0]!;
  const routerPath = `/admin/api/routers/${router.id}/state`;
  await call(admin, 'POST', '/admin/api/routers/:id/state', state(routerPath, router.state));
  await call(admin, 'POST', '/admin/api/routers/:id/state', state('/admin/api/routers/nope/state', 'active'));
  await call(admin, 'GET', '/admin/api/models');
  await call(alice, 'GET', '/admin/api/models');
  for (const action of ['disable', 'enable']) {
    const route = `/admin/api/models/:id/${action}`;
    await call(admin, 'POST', route, { path: `/admin/api/models/${DEMO_MODEL}/${action}` });
    await call(admin, 'POST', route, { path: `/admin/api/models/nope/${action}` });
  }
  const logs = await call(admin, 'GET', '/admin/api/requests', { path: '/admin/api/requests?limit=5' });
  await call(admin, 'GET', '/admin/api/requests', { path: '/admin/api/requests?limit=0' });
  const first = (logs.data as Array<{ requestId: string }>)[0];
  if (first)
    await call(admin, 'GET', '/admin/api/requests/:id', { path: `/admin/api/requests/${first.requestId}` });
  await call(admin, 'GET', '/admin/api/requests/:id', { path: '/admin/api/requests/req_nope' });
}

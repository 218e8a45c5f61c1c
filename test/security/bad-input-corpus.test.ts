/**
 * The bad-input corpus: hostile requests over every route of the app — taken from Hono's own route table, so a
 * new route is covered without touching this file — as four callers: anonymous, tenant A (session cookie and
 * API key), the admin token and a wrong admin token. Every answer must be below 500, carry no stack trace or
 * file path, put errors in the API's own shape, and never show tenant A anything of tenant B (key ids, the
 * organization, request ids, email, the key itself). A few raw-socket cases cover what a fetch client refuses
 * to send (NUL in a header, a bare CR, a broken request line). The count is printed.
 */
import { createConnection } from 'node:net';
import { beforeAll, expect, it } from 'vitest';
import { ADMIN_TOKEN, usePortal, type Session } from '../support/harness.js';
import { bearer } from '../support/http.js';

interface Tenant {
  client: Session;
  keyId: string;
  key: string;
  orgId: string;
  requestId: string;
}

// trustProxy: each caller below sends its own X-Forwarded-For, so the wrong-token caller's throttle (429
// after 10) does not lock the admin caller out.
const portal = usePortal({ config: { server: { trustProxy: 1 } } });
let a: Tenant;
let b: Tenant;

async function tenant(): Promise<Tenant> {
  const client = await portal.signUp();
  const created = await (await client.post('/api/keys', { name: 'corpus' })).json();
  const account = await (await client.get('/api/account')).json();
  const call = await portal.as(created.key).get('/v1/models');
  return {
    client,
    keyId: created.id,
    key: created.key,
    orgId: account.organization.id,
    requestId: call.headers.get('x-request-id')!,
  };
}

beforeAll(async () => {
  a = await tenant();
  b = await tenant();
});

// ── the hostile values ─────────────────────────────────────────────────────────────────────────────────
const SEGMENTS = (): string[] => [
  'x%00y',
  'x%0d%0aSet-Cookie:%20a=b',
  '%01',
  '%7f',
  '..%2f..%2f..%2fetc%2fpasswd',
  '..%5c..%5cwindows',
  '%2e%2e',
  'A'.repeat(4000),
  encodeURIComponent('\u202Eevil'),
  encodeURIComponent('🔑'),
  '%ff%fe',
  '%E0%A4%A',
  '__proto__',
  'constructor',
  '-1',
  '0',
  '1e309',
  '99999999999999999999999',
  encodeURIComponent("' or 1=1 --"),
  encodeURIComponent('<script>alert(1)</script>'),
  b.keyId,
  b.orgId,
  b.requestId,
];

const QUERIES = [
  '?from=0000-01-01',
  '?from=0000-01-01&to=0000-02-01',
  '?from=-271821-04-20T00:00:00Z&to=%2B275760-09-13T00:00:00Z',
  '?since=0000-01-01T00:00:00Z&until=0001-01-01T00:00:00Z',
  '?granularity=week',
  '?limit=-1',
  '?limit=1e309',
  '?limit=NaN&status=99999',
  '?org=a%00b',
  '?org_id=x%0a',
  `?org=${'%C2%85'}`,
  '?key=%ff%fe',
  '?__proto__[admin]=true&constructor[prototype][x]=1',
  `?email=${'a'.repeat(5000)}%40example.com`,
  '?cursor=' + Buffer.from('0000-01-01|x\u0000').toString('base64url'),
  '?cursor=%%%',
  `?key=${'k'}&key=${'j'}`,
];

const BODIES: Array<[string, string | undefined, string | undefined]> = [
  ['malformed JSON', '{"name": ', 'application/json'],
  ['empty body', '', 'application/json'],
  ['JSON null', 'null', 'application/json'],
  ['a JSON array', '[1,2,3]', 'application/json'],
  ['a JSON string', '"x"', 'application/json'],
  ['a huge number', '{"name": 1e400, "amount_micros": 1e400, "max_tokens": 1e400}', 'application/json'],
  [
    'wrong types',
    '{"name": 123, "models": "x", "limits": [], "expires_at": 5, "email": {}, "password": [], "state": 1}',
    'application/json',
  ],
  [
    'negative and zero years',
    '{"name": "k", "expires_at": "0000-01-01T00:00:00Z", "since": "-000001-01-01"}',
    'application/json',
  ],
  [
    'NUL and controls in strings',
    JSON.stringify({
      name: 'a\u0000b',
      email: 'x\u0000@example.com',
      password: 'p\u0000assword123',
      reason: '\u0000',
      description: '\u0007\u001b[31m',
      plan_id: 'free\u0000',
      state: 'active\u0000',
      token: 't\u0000',
    }),
    'application/json',
  ],
  [
    'an overlong string',
    JSON.stringify({ name: 'n'.repeat(300_000), email: `${'e'.repeat(300)}@x.io` }),
    'application/json',
  ],
  [
    'unicode oddities',
    JSON.stringify({ name: '\u202Egnp.exe\uFEFF\uD800', email: 'ü@ß.de' }),
    'application/json',
  ],
  [
    'prototype pollution keys',
    '{"__proto__": {"isAdmin": true, "role": "owner"}, "constructor": {"prototype": {"admin": true}}, "name": "p"}',
    'application/json',
  ],
  ['deep nesting', '['.repeat(50_000) + ']'.repeat(50_000), 'application/json'],
  ['no content type', '{"name": "x"}', undefined],
  ['text/plain', '{"name": "x"}', 'text/plain'],
  ['a form', 'name=x&email=y', 'application/x-www-form-urlencoded'],
  ['a utf-16 charset', '{"name": "x"}', 'application/json; charset=utf-16'],
  ['binary garbage', '\u0000\u00ff\u00fe\u0001'.repeat(64), 'application/json'],
  [
    "another tenant's ids",
    '', // filled in per run (needs b)
    'application/json',
  ],
];

const HEADER_SETS = (): Array<Record<string, string>> => [
  { 'x-request-id': 'r'.repeat(5000) },
  { 'x-request-id': '\u00ff\u00fe' },
  { 'anthropic-version': '0000-00-00' },
  bearer('x'.repeat(10_000)),
  { authorization: 'Basic Og==' },
  bearer(`${b.key}x`),
  { cookie: `better-auth.session_token=${'%00'.repeat(10)}` },
  { 'content-length': '-1' },
  { 'x-forwarded-for': 'not-an-ip, ::ffff:999.1.1.1' },
  { accept: '*/*;q=NaN' },
];

type Who = 'anonymous' | 'tenant' | 'admin' | 'wrong-admin';
const WHO: Who[] = ['anonymous', 'tenant', 'admin', 'wrong-admin'];

/** Anonymous and tenant callers come from a new address per case, so better-auth's per-address limit does not
 * turn most auth cases into 429s; the admin callers keep one address each (the wrong one gets throttled). */
function headersFor(who: Who, path: string, i: number): Record<string, string> {
  const xff = {
    anonymous: `10.1.${i >> 8}.${i & 255}`,
    tenant: `10.2.${i >> 8}.${i & 255}`,
    admin: '10.0.0.3',
    'wrong-admin': '10.66.0.1',
  }[who];
  const identity = {
    anonymous: {},
    tenant: { ...a.client.headers, ...(path.startsWith('/v1') ? bearer(a.key) : {}) },
    admin: bearer(ADMIN_TOKEN),
    'wrong-admin': bearer(ADMIN_TOKEN.replace(/.$/, '!')),
  }[who];
  return { 'x-forwarded-for': xff, ...identity };
}

interface Case {
  who: Who;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  contentType?: string;
  what: string;
}

/** better-auth's endpoints behind the one /api/auth/* route (the table shows only the wildcard). */
const AUTH_ROUTES = [
  'POST /api/auth/sign-up/email',
  'POST /api/auth/sign-in/email',
  'GET /api/auth/get-session',
  'POST /api/auth/request-password-reset',
  'POST /api/auth/reset-password',
  'GET /api/auth/reset-password/:token',
  'POST /api/auth/update-user',
  'GET /api/auth/list-sessions',
  'GET /api/auth/verify-email',
  'POST /api/auth/send-verification-email',
  'POST /api/auth/sign-out',
  'POST /api/auth/revoke-sessions',
  'POST /api/auth/change-password',
  'POST /api/auth/change-email',
  'POST /api/auth/delete-user',
];
/** Sent without tenant A's session: they would end it or the account, and the later cases need it. */
const DESTRUCTIVE = /\/(sign-out|revoke-sessions|change-password|change-email|delete-user)$/;

/** The routes, from Hono's table: each method and pattern once ('ALL' as GET and POST; '*' filled in). */
function routeTable(): Array<{ method: string; pattern: string }> {
  const seen = new Set<string>();
  const out: Array<{ method: string; pattern: string }> = [];
  for (const line of AUTH_ROUTES) {
    const [method, pattern] = line.split(' ') as [string, string];
    out.push({ method, pattern });
    seen.add(line);
  }
  for (const r of portal.app.routes) {
    for (const method of r.method === 'ALL' ? ['GET', 'POST'] : [r.method]) {
      const pattern = r.path === '*' || r.path === '/*' ? '/some/unknown/page' : r.path;
      const k = `${method} ${pattern}`;
      if (seen.has(k)) continue;
      out.push({ method, pattern });
      seen.add(k);
    }
  }
  return out;
}

function fill(pattern: string, segment: string): string {
  return pattern.replace(/:[a-zA-Z_]+(\{[^}]*\})?/g, segment).replace(/\*/g, `x/${segment}`);
}

function cases(): Case[] {
  const out: Case[] = [];
  const routes = routeTable();
  const crossTenant = JSON.stringify({
    org_id: b.orgId,
    key: b.keyId,
    orgId: b.orgId,
    id: b.keyId,
    user: b.client.email,
  });
  for (const { method, pattern } of routes) {
    const writes = method !== 'GET' && method !== 'HEAD';
    for (const who of WHO.filter((w) => w !== 'tenant' || !DESTRUCTIVE.test(pattern))) {
      const base = fill(pattern, who === 'tenant' ? b.keyId : 'x1');
      for (const segment of pattern.includes(':') || pattern.includes('*') ? SEGMENTS() : [])
        out.push({ who, method, path: fill(pattern, segment), what: `segment ${segment.slice(0, 30)}` });
      if (who !== 'wrong-admin')
        for (const q of QUERIES) out.push({ who, method, path: base + q, what: `query ${q.slice(0, 40)}` });
      if (writes && who !== 'wrong-admin')
        for (const [what, body, contentType] of BODIES)
          out.push({ who, method, path: base, body: body || crossTenant, contentType, what });
      for (const wrong of writes ? ['GET', 'PUT'] : ['DELETE', 'PATCH', 'OPTIONS'])
        out.push({ who, method: wrong, path: base, what: `method ${wrong}` });
    }
    for (const headers of DESTRUCTIVE.test(pattern) ? [] : HEADER_SETS())
      out.push({
        who: 'tenant',
        method,
        path: fill(pattern, 'x1'),
        headers,
        what: `headers ${Object.keys(headers)[0]}`,
      });
  }
  // Static and unknown paths.
  for (const p of [
    '/',
    '/assets/..%2f..%2fpackage.json',
    '/assets/%2e%2e/%2e%2e/src/app.ts',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/index.html%00.js',
    '/.env',
    '/.git/config',
    '/web/dist/../../package.json',
    '/assets/nope.js',
    '/x'.repeat(2000),
  ])
    for (const who of WHO)
      for (const method of ['GET', 'HEAD', 'POST']) out.push({ who, method, path: p, what: 'static' });
  return out;
}

// ── the checks ──────────────────────────────────────────────────────────────────────────────────────────
const STACK = /\n\s+at [\w.<>[\] ]+\(|\/work\/|node_modules|\b[\w-]+\.(ts|js|mjs):\d+/;

function isApiError(path: string, body: unknown): boolean {
  const e = (body as { error?: { message?: unknown; type?: unknown } } | null)?.error;
  if (e && typeof e.message === 'string' && typeof e.type === 'string') return true;
  // better-auth answers its own errors as { code?, message } (see the report: the auth engineer's part).
  const m = body as { message?: unknown } | null;
  return path.startsWith('/api/auth/') && typeof m?.message === 'string';
}

it('hostile requests over every route: no 5xx, no stack traces, errors in the API shape, no cross-tenant reads', async () => {
  const all = cases();
  const failures: string[] = [];
  const byStatus = new Map<number, number>();
  let authShaped = 0;
  const secretsOfB = [b.keyId, b.orgId, b.requestId, b.key, b.client.email];
  for (const [i, c] of all.entries()) {
    const headers = new Headers({ ...headersFor(c.who, c.path, i), ...c.headers });
    if (c.contentType) headers.set('content-type', c.contentType);
    if (c.method !== 'GET' && c.method !== 'HEAD') headers.set('origin', portal.origin);
    let res: Response;
    try {
      res = await portal.app.request(`${portal.origin}${c.path}`, {
        method: c.method,
        headers,
        body: c.body === undefined || c.method === 'GET' || c.method === 'HEAD' ? undefined : c.body,
      });
    } catch (err) {
      failures.push(`${c.who} ${c.method} ${c.path.slice(0, 80)} [${c.what}]: threw ${String(err)}`);
      continue;
    }
    byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
    const text = await res.text();
    const where = `${c.who} ${c.method} ${c.path.slice(0, 80)} [${c.what}] → ${res.status}`;
    if (res.status >= 500) failures.push(`${where}: 5xx ${text.slice(0, 200)}`);
    if (STACK.test(text) && !(res.headers.get('content-type') ?? '').startsWith('text/javascript'))
      failures.push(`${where}: stack trace or file path in the body: ${text.slice(0, 200)}`);
    if (res.status >= 400 && c.method !== 'HEAD') {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      if (!isApiError(c.path, json))
        failures.push(`${where}: error not in the API shape: ${text.slice(0, 200)}`);
      else if (!(json as { error?: unknown }).error) authShaped++;
    }
    if (c.who === 'tenant' && res.status < 300)
      for (const secret of secretsOfB)
        if (text.includes(secret)) failures.push(`${where}: tenant A saw tenant B's ${secret.slice(0, 12)}…`);
  }
  const raw = await rawCases();
  failures.push(...raw.failures);
  const total = all.length + raw.count;
  console.log(
    `bad-input corpus: ${total} requests (${raw.count} raw), statuses ${JSON.stringify(Object.fromEntries([...byStatus].sort()))}, ` +
      `${authShaped} better-auth-shaped errors, ${failures.length} failures`,
  );
  if (process.env.CORPUS_DUMP)
    (await import('node:fs')).writeFileSync(process.env.CORPUS_DUMP, failures.join('\n'));
  expect(total).toBeGreaterThanOrEqual(500);
  expect(failures.slice(0, 40)).toEqual([]);
}, 600_000);

/** What a fetch client will not send, on the portal's real socket: Node's parser refuses it before the app. */
async function rawCases(): Promise<{ count: number; failures: string[] }> {
  const port = portal.portal.port;
  const requests = [
    'GET /api/keys HTTP/1.1\r\nHost: x\r\nX-Evil: a\u0000b\r\n\r\n',
    'GET /api/keys HTTP/1.1\r\nHost: x\r\nX-Evil: a\rb\r\n\r\n',
    'GET /api/keys\u0000 HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET /v1/models HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello',
    'GET /v1/models HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n',
    `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    'BR0KEN\r\n\r\n',
    'POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    'GET /%00 HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET /api/usage?from=0000-01-01 HTTP/1.1\r\nHost: x\r\n\r\n',
  ];
  const failures: string[] = [];
  for (const request of requests) {
    const answer = await new Promise<string>((resolve) => {
      const socket = createConnection(port, '127.0.0.1');
      let data = '';
      socket.on('data', (d) => (data += d.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', () => resolve(data));
      socket.setTimeout(5_000, () => socket.destroy());
      socket.write(request, 'latin1');
      setTimeout(() => socket.end(), 300);
    });
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
    const body = answer.slice(answer.indexOf('\r\n\r\n') + 4);
    const what = `raw ${JSON.stringify(request.slice(0, 50))} → ${status}`;
    if (!status || status >= 500) failures.push(`${what}: ${answer.slice(0, 120)}`);
    if (status >= 400 && !/"error":\{"message":"/.test(body))
      failures.push(`${what}: not in the API shape: ${body.slice(0, 120)}`);
  }
  return { count: requests.length, failures };
}

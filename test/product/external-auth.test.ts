/**
 * Clerk and Supabase Auth as sign-in providers: their session JWTs are verified against a JWKS this test
 * serves on 127.0.0.1 (or Supabase's shared HS256 secret) — signature, issuer, audience, expiry — and the
 * external user becomes a Portal user with a personal organization on first sight, the same user after.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import type { Store } from '../../src/platform/store/db.js';
import { openTestStore } from '../support/pglite.js';
import { migrate } from '../../src/platform/store/migrate.js';
import { createTestPortal, type TestPortal } from './harness.js';

interface Jwks {
  url: string;
  privateKey: CryptoKey;
  close(): Promise<void>;
}

async function serveJwks(): Promise<Jwks> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    privateKey,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

type Claims = Record<string, unknown> & { sub: string };

function sign(
  claims: Claims,
  key: CryptoKey | Uint8Array,
  opts: { issuer: string; audience?: string; expiresIn?: string | number; alg?: string },
) {
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: opts.alg ?? 'RS256', kid: 'test-key' })
    .setIssuer(opts.issuer)
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? '5m');
  if (opts.audience) jwt = jwt.setAudience(opts.audience);
  return jwt.sign(key);
}

async function account(portal: TestPortal, token: string) {
  const res = await portal.req('/api/account', { headers: { authorization: `Bearer ${token}` } });
  return {
    status: res.status,
    json: res.status === 200 ? ((await res.json()) as Record<string, never>) : null,
  };
}

describe('Clerk session JWTs', () => {
  const ISSUER = 'https://clerk.portal.test';
  const APP = 'https://app.portal.test';
  let store: Store;
  let jwks: Jwks;
  let portal: TestPortal;
  beforeAll(async () => {
    jwks = await serveJwks();
    store = await openTestStore();
    await migrate(store);
    portal = await createTestPortal(store, {
      auth: {
        provider: 'clerk',
        clerk: { jwksUrl: jwks.url, issuer: ISSUER, audience: 'portal', authorizedParties: [APP] },
      },
    });
  });
  afterAll(async () => {
    portal.close();
    await store.close();
    await jwks.close();
  });

  const good = (claims: Claims, extra: Partial<Parameters<typeof sign>[2]> = {}) =>
    sign({ azp: APP, ...claims }, jwks.privateKey, { issuer: ISSUER, audience: 'portal', ...extra });

  it('maps a new Clerk user to a Portal user and personal organization, then recognises them', async () => {
    const token = await good({ sub: 'user_clerk_1', email: 'grace@example.com', name: 'Grace' });
    const first = await account(portal, token);
    expect(first.status).toBe(200);
    const again = await account(portal, await good({ sub: 'user_clerk_1', email: 'grace@example.com' }));
    expect(again.json).toEqual(first.json);
    const rows = await store.query<{ auth_provider: string; external_id: string; email: string }>(
      "select auth_provider, external_id, email from users where external_id = 'user_clerk_1'",
    );
    expect(rows).toEqual([
      { auth_provider: 'clerk', external_id: 'user_clerk_1', email: 'grace@example.com' },
    ]);
    const members = await store.query<{ role: string }>(
      "select m.role from organization_members m join users u on u.id = m.user_id where u.external_id = 'user_clerk_1'",
    );
    expect(members).toEqual([{ role: 'owner' }]);
  });

  it('a Clerk user can manage keys with the token', async () => {
    const token = await good({ sub: 'user_clerk_2' });
    const created = await portal.req('/api/keys', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      json: { name: 'from clerk' },
    });
    expect(created.status).toBe(201);
  });

  it('accepts the token from the __session cookie', async () => {
    const token = await good({ sub: 'user_clerk_3' });
    const res = await portal.req('/api/account', { cookie: `__session=${token}` });
    expect(res.status).toBe(200);
  });

  it.each([
    ['an expired token', () => good({ sub: 'u' }, { expiresIn: Math.floor(Date.now() / 1000) - 60 })],
    ['the wrong issuer', () => good({ sub: 'u' }, { issuer: 'https://evil.example' })],
    ['the wrong audience', () => good({ sub: 'u' }, { audience: 'someone-else' })],
    [
      'a token signed by another key',
      async () =>
        sign({ sub: 'u', azp: APP }, (await generateKeyPair('RS256')).privateKey, {
          issuer: ISSUER,
          audience: 'portal',
        }),
    ],
    ['garbage', async () => 'not.a.jwt'],
  ])('401 for %s', async (_what, make) => {
    expect((await account(portal, await make())).status).toBe(401);
  });

  it('tells the dashboard that Clerk signs people in, with only public Clerk settings', async () => {
    expect(await (await portal.req('/api/auth/provider')).json()).toEqual({
      provider: 'clerk',
      emailVerification: false,
      clerk: { publishableKey: null, signInUrl: null, proxyUrl: null },
    });
  });

  it('built-in sign-up is not mounted when Clerk signs people in', async () => {
    const res = await portal.req('/api/auth/sign-up/email', {
      method: 'POST',
      json: { email: 'x@example.com', password: 'long enough passphrase 1', name: 'x' },
    });
    expect(res.status).toBe(404);
  });
});

describe('Supabase Auth JWTs', () => {
  const SUPABASE = 'https://project.supabase.test';
  const SECRET_ENV = 'PORTAL_TEST_SUPABASE_JWT_SECRET';
  const secret = new TextEncoder().encode('a-supabase-shared-secret-of-enough-length');
  let store: Store;
  let jwks: Jwks;
  let shared: TestPortal;
  let viaJwks: TestPortal;
  beforeAll(async () => {
    process.env[SECRET_ENV] = new TextDecoder().decode(secret);
    jwks = await serveJwks();
    store = await openTestStore();
    await migrate(store);
    shared = await createTestPortal(store, {
      auth: { provider: 'supabase', supabase: { url: SUPABASE, jwtSecretEnv: SECRET_ENV } },
    });
    viaJwks = await createTestPortal(store, {
      auth: { provider: 'supabase', supabase: { url: SUPABASE, jwksUrl: jwks.url } },
    });
  });
  afterAll(async () => {
    delete process.env[SECRET_ENV];
    shared.close();
    viaJwks.close();
    await store.close();
    await jwks.close();
  });

  const claims = {
    sub: '6f1c7a2e-0000-4000-8000-000000000001',
    email: 'sb@example.com',
    role: 'authenticated',
  };

  it('verifies HS256 tokens with the shared secret and maps the user on first sight', async () => {
    const token = await sign(claims, secret, {
      issuer: `${SUPABASE}/auth/v1`,
      audience: 'authenticated',
      alg: 'HS256',
    });
    const res = await account(shared, token);
    expect(res.status).toBe(200);
    const rows = await store.query<{ auth_provider: string; email: string }>(
      'select auth_provider, email from users where external_id = $1',
      [claims.sub],
    );
    expect(rows).toEqual([{ auth_provider: 'supabase', email: 'sb@example.com' }]);
  });

  it('verifies asymmetric tokens against the JWKS as the same user', async () => {
    const token = await sign(claims, jwks.privateKey, {
      issuer: `${SUPABASE}/auth/v1`,
      audience: 'authenticated',
    });
    const res = await account(viaJwks, token);
    expect(res.status).toBe(200);
    const count = await store.query<{ n: number }>(
      'select count(*)::int as n from users where external_id = $1',
      [claims.sub],
    );
    expect(count[0]?.n).toBe(1);
  });

  it('401 for the wrong audience, the wrong secret, or an expired token', async () => {
    const issuer = `${SUPABASE}/auth/v1`;
    const wrongAud = await sign(claims, secret, { issuer, audience: 'anon', alg: 'HS256' });
    const wrongSecret = await sign(claims, new TextEncoder().encode('another-secret-another-secret-xx'), {
      issuer,
      audience: 'authenticated',
      alg: 'HS256',
    });
    const expired = await sign(claims, secret, {
      issuer,
      audience: 'authenticated',
      alg: 'HS256',
      expiresIn: Math.floor(Date.now() / 1000) - 60,
    });
    for (const token of [wrongAud, wrongSecret, expired])
      expect((await account(shared, token)).status).toBe(401);
  });
});

/**
 * Clerk and Supabase Auth as sign-in providers: their session JWTs are verified against a JWKS this test
 * serves on 127.0.0.1 (or Supabase's shared HS256 secret) — signature, issuer, audience, expiry — and the
 * external user becomes a Portal user with a personal organization on first sight, the same user after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair } from 'jose';
import { ADMIN_TOKEN, usePortal, type TestPortal } from '../support/harness.js';
import { serveJwks, signJwt as sign, type Claims, type Jwks } from '../support/jwks.js';

async function account(portal: TestPortal, token: string) {
  const res = await portal.as(token).get('/api/account');
  return { status: res.status, json: res.status === 200 ? await res.json() : null };
}

describe('Clerk session JWTs', () => {
  const ISSUER = 'https://clerk.portal.test';
  const APP = 'https://app.portal.test';
  let jwks: Jwks;
  beforeAll(async () => {
    jwks = await serveJwks();
  });
  const portal = usePortal(() => ({
    config: {
      admin: { token: ADMIN_TOKEN, emails: ['clerk-admin@example.com'] },
      auth: {
        provider: 'clerk',
        clerk: { jwksUrl: jwks.url, issuer: ISSUER, audience: 'portal', authorizedParties: [APP] },
      },
    },
  }));
  afterAll(() => jwks.close());

  const good = (claims: Claims, extra: Partial<Parameters<typeof sign>[2]> = {}) =>
    sign({ azp: APP, ...claims }, jwks.privateKey, { issuer: ISSUER, audience: 'portal', ...extra });

  it('maps a new Clerk user to a Portal user and personal organization, then recognises them', async () => {
    const token = await good({ sub: 'user_clerk_1', email: 'grace@example.com', name: 'Grace' });
    const first = await account(portal, token);
    expect(first.status).toBe(200);
    const again = await account(portal, await good({ sub: 'user_clerk_1', email: 'grace@example.com' }));
    expect(again.json).toEqual(first.json);
    const rows = await portal.store.query<{ auth_provider: string; external_id: string; email: string }>(
      "select auth_provider, external_id, email from users where external_id = 'user_clerk_1'",
    );
    expect(rows).toEqual([
      { auth_provider: 'clerk', external_id: 'user_clerk_1', email: 'grace@example.com' },
    ]);
    const members = await portal.store.query<{ role: string }>(
      "select m.role from organization_members m join users u on u.id = m.user_id where u.external_id = 'user_clerk_1'",
    );
    expect(members).toEqual([{ role: 'owner' }]);
  });

  it('a Clerk user can manage keys with the token', async () => {
    const token = await good({ sub: 'user_clerk_2' });
    const created = await portal.as(token).post('/api/keys', { name: 'from clerk' });
    expect(created.status).toBe(201);
  });

  it('a Clerk admin’s token opens the admin API; a non-admin’s gets 404, a forged one 401', async () => {
    const adminToken = await good({ sub: 'user_clerk_admin', email: 'clerk-admin@example.com' });
    expect((await portal.as(adminToken).get('/admin/api/pools')).status).toBe(200);
    expect(await (await portal.as(adminToken).get('/api/account')).json()).toMatchObject({ is_admin: true });
    const plain = await good({ sub: 'user_clerk_plain', email: 'plain@example.com' });
    expect((await portal.as(plain).get('/admin/api/pools')).status).toBe(404);
    const forged = await good({ sub: 'user_clerk_admin' }, { issuer: 'https://evil.example' });
    expect((await portal.as(forged).get('/admin/api/pools')).status).toBe(401);
  });

  it('accepts the token from the __session cookie', async () => {
    const token = await good({ sub: 'user_clerk_3' });
    const res = await portal.withCookie(`__session=${token}`).get('/api/account');
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
    expect(await (await portal.anon.get('/api/auth/provider')).json()).toEqual({
      provider: 'clerk',
      emailVerification: false,
      clerk: { publishableKey: null, signInUrl: null, proxyUrl: null },
    });
  });

  it('built-in sign-up is not mounted when Clerk signs people in', async () => {
    const res = await portal.anon.post('/api/auth/sign-up/email', {
      email: 'x@example.com',
      password: 'long enough passphrase 1',
      name: 'x',
    });
    expect(res.status).toBe(404);
  });
});

describe('Supabase Auth JWTs', () => {
  const SUPABASE = 'https://project.supabase.test';
  const SECRET_ENV = 'PORTAL_TEST_SUPABASE_JWT_SECRET';
  const secret = new TextEncoder().encode('a-supabase-shared-secret-of-enough-length');
  let jwks: Jwks;
  beforeAll(async () => {
    process.env[SECRET_ENV] = new TextDecoder().decode(secret);
    jwks = await serveJwks();
  });
  const shared = usePortal({
    config: { auth: { provider: 'supabase', supabase: { url: SUPABASE, jwtSecretEnv: SECRET_ENV } } },
  });
  const viaJwks = usePortal(() => ({
    config: { auth: { provider: 'supabase', supabase: { url: SUPABASE, jwksUrl: jwks.url } } },
  }));
  afterAll(async () => {
    delete process.env[SECRET_ENV];
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
    const rows = await shared.store.query<{ auth_provider: string; email: string }>(
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
    const count = await shared.store.query<{ n: number }>(
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

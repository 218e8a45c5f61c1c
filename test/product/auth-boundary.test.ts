/**
 * The sign-in boundary: every /api route but /api/auth answers 401 signed out; cross-site requests and form
 * posts are refused (CSRF); repeated failed sign-ins are throttled; password reset goes through the mail
 * outbox; sign-out ends the session; cookies are HttpOnly + SameSite.
 */
import { describe, expect, it } from 'vitest';
import { startTestPortal, usePortal } from '../support/harness.js';
import { errorOf, sessionCookie } from '../support/http.js';

describe('sign-in boundary', () => {
  const portal = usePortal();

  it.each([
    ['GET', '/api/account'],
    ['GET', '/api/keys'],
    ['POST', '/api/keys'],
    ['GET', '/api/keys/key_123'],
    ['PATCH', '/api/keys/key_123'],
    ['DELETE', '/api/keys/key_123'],
    ['GET', '/api/models'],
    ['GET', '/api/usage'],
    ['GET', '/api/plan'],
    ['GET', '/api/no-such-route'],
  ])('401 signed out: %s %s', async (method, path) => {
    const res = await portal.anon.request(
      method,
      path,
      method === 'GET' || method === 'DELETE' ? {} : { json: {} },
    );
    expect(await errorOf(res)).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('the sign-in provider is public', async () => {
    const res = await portal.anon.get('/api/auth/provider');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ provider: 'local', emailVerification: false });
  });

  it('401 with a forged session cookie', async () => {
    const res = await portal.withCookie('portal.session_token=forged.value').get('/api/keys');
    expect(res.status).toBe(401);
  });

  it('the session cookie is HttpOnly and SameSite=Lax', async () => {
    const user = await portal.signUp();
    const res = await portal.anon.post('/api/auth/sign-in/email', {
      email: user.email,
      password: user.password,
    });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('portal.session_token='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it('a cross-site form post is refused, to the API and to sign-in', async () => {
    const user = await portal.signUp();
    const form = {
      headers: {
        origin: 'https://evil.example',
        'content-type': 'application/x-www-form-urlencoded',
        'sec-fetch-site': 'cross-site',
      },
      body: 'name=stolen',
    };
    const toApi = await user.request('POST', '/api/keys', form);
    expect(await errorOf(toApi)).toMatchObject({ status: 403, code: 'csrf_rejected' });
    const toAuth = await portal.anon.request('POST', '/api/auth/sign-in/email', {
      ...form,
      body: `email=${encodeURIComponent(user.email)}&password=x`,
    });
    expect(toAuth.status).toBe(403);
    const keys = (await (await user.get('/api/keys')).json()) as { data: unknown[] };
    expect(keys.data).toEqual([]);
  });

  it('a cross-origin JSON request and a same-origin form post are refused too', async () => {
    const user = await portal.signUp();
    const crossOrigin = await user.post(
      '/api/keys',
      { name: 'x' },
      { headers: { origin: 'https://evil.example' } },
    );
    expect(crossOrigin.status).toBe(403);
    const formSameOrigin = await user.request('POST', '/api/keys', {
      headers: { 'content-type': 'text/plain' },
      body: '{"name":"x"}',
    });
    expect(formSameOrigin.status).toBe(403);
    const ok = await user.post('/api/keys', { name: 'same origin' });
    expect(ok.status).toBe(201);
  });

  it('after 5 failed sign-ins for an email, even the right password is throttled (429)', async () => {
    const user = await portal.signUp();
    const attempt = (password: string) =>
      portal.anon.post('/api/auth/sign-in/email', { email: user.email, password });
    for (let i = 0; i < 5; i++) expect((await attempt('wrong password!')).status).toBe(401);
    const blocked = await attempt(user.password);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('password reset: the link goes to the outbox and sets a new password', async () => {
    const user = await portal.signUp();
    const outbox = portal.services.product.outbox;
    const asked = await portal.anon.post('/api/auth/request-password-reset', {
      email: user.email,
      redirectTo: '/reset-password',
    });
    expect(asked.status).toBe(200);
    const mail = outbox.sent.findLast((m) => m.to === user.email);
    const link = mail?.text.match(/https?:\/\/\S+/)?.[0];
    expect(link).toBeDefined();
    const token = new URL(link!).pathname.split('/').pop()!;
    const reset = await portal.anon.post('/api/auth/reset-password', {
      token,
      newPassword: 'a brand new password',
    });
    expect(reset.status).toBe(200);
    const oldPw = await portal.anon.post('/api/auth/sign-in/email', {
      email: user.email,
      password: user.password,
    });
    expect(oldPw.status).toBe(401);
    const newPw = await portal.anon.post('/api/auth/sign-in/email', {
      email: user.email,
      password: 'a brand new password',
    });
    expect(newPw.status).toBe(200);
    expect((await user.get('/api/keys')).status).toBe(401); // reset revoked the old session
  });

  it('password change needs the current password', async () => {
    const user = await portal.signUp();
    const wrong = await user.post('/api/auth/change-password', {
      currentPassword: 'not it at all',
      newPassword: 'another good one',
    });
    expect(wrong.status).toBe(400);
    const right = await user.post('/api/auth/change-password', {
      currentPassword: user.password,
      newPassword: 'another good one',
    });
    expect(right.status).toBe(200);
  });

  it.each([
    ['a script tag', '<script>alert(1)</script>', /cannot contain "<" or ">"/],
    ['an empty name', '   ', /Enter your name/],
    ['a 10,000-character name', 'n'.repeat(10_000), /at most 100 characters/],
  ])('sign-up and profile refuse %s as a name', async (_what, name, message) => {
    const signUp = await portal.anon.post('/api/auth/sign-up/email', {
      email: `bad-name-${Math.random()}@example.com`,
      password: 'long enough pw',
      name,
    });
    expect(signUp.status).toBe(400);
    const body = (await signUp.json()) as { error: { param: string; message: string } };
    expect(body.error.param).toBe('name');
    expect(body.error.message).toMatch(message);
    const user = await portal.signUp();
    const update = await user.post('/api/auth/update-user', { name });
    expect(update.status).toBe(400);
    const account = (await (await user.get('/api/account')).json()) as { user: { name: string } };
    expect(account.user.name).toBe('Test User');
  });

  it('sign-up and profile update cannot make anyone an admin or change their status', async () => {
    await portal.anon.post('/api/auth/sign-up/email', {
      email: 'escalate@example.com',
      password: 'long enough pw',
      name: 'E',
      isAdmin: true,
      is_admin: true,
      authProvider: 'clerk',
    });
    const signedIn = await portal.anon.post('/api/auth/sign-in/email', {
      email: 'escalate@example.com',
      password: 'long enough pw',
    });
    expect(signedIn.status).toBe(200);
    const cookie = sessionCookie(signedIn);
    await portal
      .withCookie(cookie)
      .post('/api/auth/update-user', { isAdmin: true, status: 'disabled', emailVerified: true });
    const rows = await portal.store.query<{ is_admin: boolean; status: string; auth_provider: string }>(
      "select is_admin, status, auth_provider from users where email = 'escalate@example.com'",
    );
    expect(rows).toEqual([{ is_admin: false, status: 'active', auth_provider: 'local' }]);
  });

  it('profile rename is saved as plain text', async () => {
    const user = await portal.signUp();
    const update = await user.post('/api/auth/update-user', { name: 'Ada "A." Lovelace' });
    expect(update.status).toBe(200);
    const account = (await (await user.get('/api/account')).json()) as { user: { name: string } };
    expect(account.user.name).toBe('Ada "A." Lovelace');
  });

  it('sign-out ends the session', async () => {
    const user = await portal.signUp();
    expect((await user.get('/api/account')).status).toBe(200);
    const out = await user.post('/api/auth/sign-out', {});
    expect(out.status).toBe(200);
    expect((await user.get('/api/account')).status).toBe(401);
  });

  it('sign-in returns a working session cookie', async () => {
    const user = await portal.signUp();
    const res = await portal.anon.post('/api/auth/sign-in/email', {
      email: user.email,
      password: user.password,
    });
    expect(res.status).toBe(200);
    expect((await portal.withCookie(sessionCookie(res)).get('/api/account')).status).toBe(200);
  });

  it('the dashboard is served for app routes; API paths keep JSON 404s', async () => {
    const api404 = await portal.anon.get('/v1/nope');
    expect(api404.headers.get('content-type')).toMatch(/json/);
    const admin404 = await portal.anon.get('/admin/api/nope');
    expect(admin404.headers.get('content-type')).toMatch(/json/);
  });
});

describe('behind TLS', () => {
  it('session cookies are Secure when the public URL is https', async () => {
    const portal = await startTestPortal({ config: { server: { publicUrl: 'https://portal.example' } } });
    try {
      const user = await portal.signUp({ email: 'tls@example.com' });
      const res = await portal.anon.post('/api/auth/sign-in/email', {
        email: user.email,
        password: user.password,
      });
      expect(res.status).toBe(200);
      const cookie = res.headers.getSetCookie().find((c) => c.includes('session_token='));
      expect(cookie).toMatch(/; Secure/i);
      expect(cookie).toMatch(/HttpOnly/i);
    } finally {
      await portal.close();
    }
  });
});

/**
 * Attack: a script on the page (XSS) or a database reader takes a session: tokens were in the JSON of
 * sign-in, get-session and list-sessions, and stored in plain text (sessions and reset tokens); a session
 * kept alive by use never ended. Tokens stay in the HttpOnly cookie, are stored hashed, and a session
 * ends after `auth.sessionMaxAgeDays` however active it is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/platform/store/db.js';
import { openTestStore } from '../support/pglite.js';
import { createTestPortal, sessionCookie, type TestPortal } from '../product/harness.js';

/** The raw session token inside the signed cookie value (`token.signature`). */
function cookieToken(cookie: string): string {
  const value = decodeURIComponent(cookie.split('=').slice(1).join('='));
  return value.split('.')[0]!;
}

describe('session tokens', () => {
  let store: Store;
  let portal: TestPortal;
  beforeAll(async () => {
    store = await openTestStore();
    portal = await createTestPortal(store);
  });
  afterAll(async () => {
    portal.close();
    await store.close();
  });

  it('no JSON answer carries a session token', async () => {
    const user = await portal.signUp();
    const signIn = await portal.req('/api/auth/sign-in/email', {
      method: 'POST',
      json: { email: user.email, password: user.password },
    });
    const cookie = sessionCookie(signIn);
    const token = cookieToken(cookie);
    const bodies = [
      await signIn.text(),
      await (await portal.req('/api/auth/get-session', { cookie })).text(),
      await (await portal.req('/api/auth/list-sessions', { cookie })).text(),
    ];
    expect(bodies.filter((b) => b.includes(token) || /"token"\s*:\s*"/.test(b))).toEqual([]);
  });

  it('sessions and reset tokens are stored hashed', async () => {
    const user = await portal.signUp();
    const token = cookieToken(user.cookie);
    const stored = await store.query<{ token: string }>('select token from auth_sessions');
    expect(stored.filter((r) => r.token === token)).toEqual([]);
    await portal.req('/api/auth/request-password-reset', {
      method: 'POST',
      json: { email: user.email, redirectTo: '/reset-password' },
    });
    const mail = portal.services.product.outbox.sent.findLast((m) => m.to === user.email)!;
    const resetToken = new URL(mail.text.match(/https?:\/\/\S+/)![0]).pathname.split('/').pop()!;
    const rows = await store.query<{ identifier: string; value: string }>(
      'select identifier, value from auth_verifications',
    );
    expect(rows.filter((r) => r.identifier.includes(resetToken) || r.value.includes(resetToken))).toEqual([]);
    expect((await user.req('/api/account')).status).toBe(200);
  });

  it('a session older than the absolute lifetime is refused even while in use', async () => {
    const user = await portal.signUp();
    await store.query(
      "update auth_sessions set created_at = now() - interval '31 days', updated_at = now() where user_id = (select id from users where email = $1)",
      [user.email],
    );
    const res = await user.req('/api/account');
    expect(res.status).toBe(401);
  });

  it('a sliding refresh never extends a session past the absolute lifetime', async () => {
    const user = await portal.signUp();
    const where = 'user_id = (select id from users where email = $1)';
    await store.query(
      `update auth_sessions set created_at = now() - interval '29 days', expires_at = now() + interval '5 days' where ${where}`,
      [user.email],
    );
    expect((await user.req('/api/account')).status).toBe(200); // due for a refresh: better-auth extends it
    const [row] = await store.query<{ over: boolean }>(
      `select expires_at > created_at + interval '30 days 1 minute' as over from auth_sessions where ${where}`,
      [user.email],
    );
    expect(row).toEqual({ over: false });
  });

  it('with hashed tokens, a password change still ends the other sessions and keeps this one', async () => {
    const user = await portal.signUp();
    const other = await portal.req('/api/auth/sign-in/email', {
      method: 'POST',
      json: { email: user.email, password: user.password },
    });
    const otherCookie = sessionCookie(other);
    const changed = await user.req('/api/auth/change-password', {
      method: 'POST',
      json: {
        currentPassword: user.password,
        newPassword: 'a fresh passphrase 77',
        revokeOtherSessions: true,
      },
    });
    expect(changed.status).toBe(200);
    const current = sessionCookie(changed);
    expect((await portal.req('/api/account', { cookie: current })).status).toBe(200);
    expect((await portal.req('/api/account', { cookie: otherCookie })).status).toBe(401);
  });
});

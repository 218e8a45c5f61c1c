/**
 * Attack: a script on the page (XSS) or a database reader takes a session: tokens were in the JSON of
 * sign-in, get-session and list-sessions, and stored in plain text (sessions and reset tokens); a session
 * kept alive by use never ended. Tokens stay in the HttpOnly cookie, are stored hashed, and a session
 * ends after `auth.sessionMaxAgeDays` however active it is.
 */
import { describe, expect, it } from 'vitest';
import { usePortal, type Session } from '../support/harness.js';
import { sessionCookie } from '../support/http.js';

/** The raw session token inside the signed cookie value (`token.signature`). */
function cookieToken(cookie: string): string {
  const value = decodeURIComponent(cookie.split('=').slice(1).join('='));
  return value.split('.')[0]!;
}

const AGED_PAST_LIFETIME =
  "update auth_sessions set created_at = now() - interval '31 days', updated_at = now()";
const DUE_FOR_REFRESH_NEAR_LIFETIME =
  "update auth_sessions set created_at = now() - interval '29 days', expires_at = now() + interval '5 days'";
const EXPIRES_PAST_LIFETIME =
  "select expires_at > created_at + interval '30 days 1 minute' as over from auth_sessions";

describe('session tokens', () => {
  const t = usePortal();
  const signInAgain = (user: Session) =>
    t.anon.post('/api/auth/sign-in/email', { email: user.email, password: user.password });
  /** Runs `set …` on the user's sessions, e.g. to age them. */
  const sessionsOf = (user: Session, sql: string) =>
    t.store.query<{ over: boolean }>(`${sql} where user_id = (select id from users where email = $1)`, [
      user.email,
    ]);

  it('no JSON answer carries a session token', async () => {
    const user = await t.signUp();
    const signIn = await signInAgain(user);
    const cookie = sessionCookie(signIn);
    const token = cookieToken(cookie);
    const session = t.withCookie(cookie);
    const bodies = [
      await signIn.text(),
      await (await session.get('/api/auth/get-session')).text(),
      await (await session.get('/api/auth/list-sessions')).text(),
    ];
    expect(bodies.filter((b) => b.includes(token) || /"token"\s*:\s*"/.test(b))).toEqual([]);
  });

  it('sessions and reset tokens are stored hashed', async () => {
    const user = await t.signUp();
    const token = cookieToken(user.cookie);
    const stored = await t.store.query<{ token: string }>('select token from auth_sessions');
    expect(stored.filter((r) => r.token === token)).toEqual([]);
    await t.anon.post('/api/auth/request-password-reset', {
      email: user.email,
      redirectTo: '/reset-password',
    });
    const mail = t.services.product.outbox.sent.findLast((m) => m.to === user.email)!;
    const resetToken = new URL(mail.text.match(/https?:\/\/\S+/)![0]).pathname.split('/').pop()!;
    const rows = await t.store.query<{ identifier: string; value: string }>(
      'select identifier, value from auth_verifications',
    );
    expect(rows.filter((r) => r.identifier.includes(resetToken) || r.value.includes(resetToken))).toEqual([]);
    expect((await user.get('/api/account')).status).toBe(200);
  });

  it('a session older than the absolute lifetime is refused even while in use', async () => {
    const user = await t.signUp();
    await sessionsOf(user, AGED_PAST_LIFETIME);
    expect((await user.get('/api/account')).status).toBe(401);
  });

  it('a sliding refresh never extends a session past the absolute lifetime', async () => {
    const user = await t.signUp();
    await sessionsOf(user, DUE_FOR_REFRESH_NEAR_LIFETIME);
    expect((await user.get('/api/account')).status).toBe(200); // due for a refresh: better-auth extends it
    const rows = await sessionsOf(user, EXPIRES_PAST_LIFETIME);
    expect(rows).toEqual([{ over: false }]);
  });

  it('with hashed tokens, a password change still ends the other sessions and keeps this one', async () => {
    const user = await t.signUp();
    const otherCookie = sessionCookie(await signInAgain(user));
    const changed = await user.post('/api/auth/change-password', {
      currentPassword: user.password,
      newPassword: 'a fresh passphrase 77',
      revokeOtherSessions: true,
    });
    expect(changed.status).toBe(200);
    expect((await t.withCookie(sessionCookie(changed)).get('/api/account')).status).toBe(200);
    expect((await t.withCookie(otherCookie).get('/api/account')).status).toBe(401);
  });
});

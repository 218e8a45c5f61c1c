/**
 * Attack: learn who has an account by signing up with their email — a registered one answered
 * `422 USER_ALREADY_EXISTS`. Sign-up must answer the same either way; with SMTP configured, the new address
 * must be verified (a link mailed to it) before it can sign in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { usePortal } from '../support/harness.js';

const PASSWORD = 'enumerate me not 42';

async function answer(res: Response) {
  const body = (await res.json()) as { user?: Record<string, unknown>; token?: unknown };
  return {
    status: res.status,
    keys: Object.keys(body).sort(),
    userKeys: Object.keys(body.user ?? {}).sort(),
    cookies: res.headers.getSetCookie().length,
  };
}

describe('sign-up with a registered email', () => {
  const t = usePortal();

  it('answers exactly like a sign-up with a new email', async () => {
    const taken = await t.signUp();
    const signUp = (email: string) =>
      t.anon.post('/api/auth/sign-up/email', { email, password: PASSWORD, name: 'X' });
    const existing = await answer(await signUp(taken.email));
    const fresh = await answer(await signUp(`fresh-${Date.now()}@example.com`));
    expect(existing).toEqual(fresh);
    expect(existing.status).toBe(200);
  });
});

describe('email verification when SMTP is configured', () => {
  let smtp: SmtpSink;
  beforeAll(async () => {
    smtp = await startSmtpSink();
  });
  const t = usePortal(() => ({
    config: { auth: { smtp: { host: '127.0.0.1', port: smtp.port, from: 'Portal <no-reply@portal.test>' } } },
  }));
  afterAll(() => smtp.close());

  it('a new account cannot sign in until the mailed link is opened', async () => {
    const email = 'verify-me@example.com';
    const signIn = () => t.anon.post('/api/auth/sign-in/email', { email, password: PASSWORD });
    await t.anon.post('/api/auth/sign-up/email', { email, password: PASSWORD, name: 'V' });
    expect((await signIn()).status).toBe(403);
    await expect.poll(() => smtp.linksTo(email).length, { timeout: 5_000 }).toBeGreaterThan(0);
    const link = new URL(smtp.linksTo(email).find((l) => l.includes('verify-email'))!);
    const verified = await t.anon.get(`${link.pathname}${link.search}`);
    expect(verified.status).toBeLessThan(400);
    expect((await signIn()).status).toBe(200);
  });
});

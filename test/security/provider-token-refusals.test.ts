/**
 * Attack: present a provider session token that must not open the product API — a Clerk token minted for
 * another frontend (its `azp` not listed), an expired one, one signed by a key the provider never
 * published, and a Supabase token from another project. Each is 401, and the refusal is logged with its
 * reason and without the token (asserted on the captured pino lines). A user disabled in Portal is refused
 * even with a valid provider token.
 */
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '#src/platform/log.js';
import { createJwtIssuer, type JwtIssuer } from '../support/jwt-issuer.js';
import { startFakeClerk, type FakeClerk } from '../support/fake-clerk.js';
import { startFakeSupabase, type FakeSupabase } from '../support/fake-supabase.js';
import { usePortal, type TestPortal } from '../support/harness.js';
import { errorOf } from '../support/http.js';

const APP = 'http://localhost';

function capturedLog() {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (d: Buffer) => lines.push(...d.toString().split('\n').filter(Boolean)));
  return { log: createLogger({ level: 'info', destination: stream }), lines };
}

describe('provider tokens that must be refused', () => {
  let clerk: FakeClerk;
  let supabase: FakeSupabase;
  let other: FakeSupabase;
  let stranger: JwtIssuer;
  const clerkLog = capturedLog();
  const supabaseLog = capturedLog();

  beforeAll(async () => {
    [clerk, supabase, other, stranger] = await Promise.all([
      startFakeClerk({ authorizedParty: APP }),
      startFakeSupabase(),
      startFakeSupabase(),
      createJwtIssuer(),
    ]);
  });
  afterAll(() => Promise.all([clerk.close(), supabase.close(), other.close()]));
  const clerkPortal = usePortal(() => ({
    config: { auth: { provider: 'clerk', clerk: clerk.portalConfig([APP]) } },
    log: clerkLog.log,
  }));
  const supabasePortal = usePortal(() => ({
    config: { auth: { provider: 'supabase', supabase: { url: supabase.url } } },
    log: supabaseLog.log,
  }));

  const status = async (portal: TestPortal, token: string) =>
    (await portal.as(token).get('/api/account')).status;
  const loggedWithout = (lines: string[], token: string, reason: string) => {
    expect(lines.some((l) => l.includes('provider token refused') && l.includes(reason))).toBe(true);
    expect(lines.filter((l) => l.includes(token) || l.includes(token.split('.')[2] ?? '-'))).toEqual([]);
  };

  it('200 for a valid Clerk session token of the listed frontend (the control case)', async () => {
    expect(await status(clerkPortal, await clerk.sessionToken({ sub: 'user_ok' }))).toBe(200);
  });

  it('401 for a Clerk token minted for another frontend (azp not listed), logged without the token', async () => {
    const token = await clerk.sessionToken({ sub: 'user_a', azp: 'https://other-app.example' });
    expect(await status(clerkPortal, token)).toBe(401);
    loggedWithout(clerkLog.lines, token, 'azp_not_authorized');
  });

  it('401 for an expired Clerk token, logged without the token', async () => {
    const token = await clerk.sessionToken({ sub: 'user_b' }, -120);
    expect(await status(clerkPortal, token)).toBe(401);
    loggedWithout(clerkLog.lines, token, '"reason":"expired"');
  });

  it('401 for a token signed by a key the provider never published, logged without the token', async () => {
    const token = await stranger.sign({ sub: 'user_c', iss: clerk.issuer, azp: APP }, 60);
    expect(await status(clerkPortal, token)).toBe(401);
    loggedWithout(clerkLog.lines, token, 'unknown_signing_key');
  });

  it('401 for a Supabase token from another project, logged without the token', async () => {
    other.addUser('someone@example.com', 'a password of length');
    const res = await fetch(`${other.url}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', apikey: other.anonKey },
      body: JSON.stringify({ email: 'someone@example.com', password: 'a password of length' }),
    });
    const token = ((await res.json()) as { access_token: string }).access_token;
    expect(await status(supabasePortal, token)).toBe(401);
    loggedWithout(supabaseLog.lines, token, '"reason":"unknown_signing_key"');
  });

  it('403 for a user disabled in Portal, even with a valid provider token', async () => {
    const token = await clerk.sessionToken({ sub: 'user_disabled', email: 'off@example.com' });
    expect(await status(clerkPortal, token)).toBe(200);
    await clerkPortal.store.query("update users set status = 'disabled' where external_id = 'user_disabled'");
    const res = await clerkPortal.as(token).get('/api/account');
    expect(await errorOf(res)).toMatchObject({ status: 403, code: 'account_disabled' });
  });
});

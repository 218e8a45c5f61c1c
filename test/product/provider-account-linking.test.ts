/**
 * Account linking across sign-in providers: an email that already has a Portal user (signed up with the
 * built-in form, or through the other provider) becomes the same user through Clerk or Supabase only when
 * the provider says the email is verified; an unverified claim to a taken email is refused with 409.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeClerk, type FakeClerk } from '../support/fake-clerk.js';
import { startFakeSupabase, type FakeSupabase } from '../support/fake-supabase.js';
import { usePortal, type TestPortal } from '../support/harness.js';

const APP = 'http://localhost';

describe('one Portal user per verified email across providers', () => {
  let clerk: FakeClerk;
  let supabase: FakeSupabase;
  beforeAll(async () => {
    [clerk, supabase] = await Promise.all([startFakeClerk({ authorizedParty: APP }), startFakeSupabase()]);
  });
  afterAll(() => Promise.all([clerk.close(), supabase.close()]));
  // Three Portals over the worker's one store: each provider sees the users the others made.
  const local = usePortal();
  const viaClerk = usePortal(() => ({
    config: { auth: { provider: 'clerk', clerk: clerk.portalConfig([APP]) } },
  }));
  const viaSupabase = usePortal(() => ({
    config: { auth: { provider: 'supabase', supabase: { url: supabase.url } } },
  }));

  const accountOf = async (portal: TestPortal, token: string) => {
    const res = await portal.as(token).get('/api/account');
    return {
      status: res.status,
      body: await res.json<{ user?: { id: string }; error?: { code: string; message: string } }>(),
    };
  };
  const supabaseToken = (sub: string, email: string, verified: boolean) =>
    supabase.issuer.sign(
      {
        iss: `${supabase.url}/auth/v1`,
        aud: 'authenticated',
        sub,
        email,
        role: 'authenticated',
        user_metadata: { email_verified: verified },
      },
      300,
    );

  it('a verified Clerk email joins the Portal user who signed up with that email', async () => {
    const signedUp = await local.signUp({ email: 'ada@example.com' });
    const mine = await (await signedUp.get('/api/account')).json();
    const token = await clerk.sessionToken({
      sub: 'user_ada',
      email: 'Ada@Example.com',
      email_verified: true,
    });
    const linked = await accountOf(viaClerk, token);
    expect(linked.status).toBe(200);
    expect(linked.body.user?.id).toBe(mine.user.id);
    const rows = await local.store.query<{ n: number }>(
      "select count(*)::int as n from users where lower(email) = 'ada@example.com'",
    );
    expect(rows[0]?.n).toBe(1);
  });

  it('409 with a clear message when the provider has not verified a taken email', async () => {
    const token = await supabaseToken('6f1c7a2e-0000-4000-8000-0000000000aa', 'ada@example.com', false);
    const refused = await accountOf(viaSupabase, token);
    expect(refused.status).toBe(409);
    expect(refused.body.error?.code).toBe('conflict');
    expect(refused.body.error?.message).toMatch(/not verified that the email is yours/);
  });

  it('the same email, verified by Supabase, then becomes that one user too', async () => {
    const before = await accountOf(
      viaClerk,
      await clerk.sessionToken({ sub: 'user_ada', email: 'ada@example.com' }),
    );
    const token = await supabaseToken('6f1c7a2e-0000-4000-8000-0000000000aa', 'ada@example.com', true);
    const after = await accountOf(viaSupabase, token);
    expect(after.status).toBe(200);
    expect(after.body.user?.id).toBe(before.body.user?.id);
  });

  it('an unverified email nobody uses yet gets a new user of its own', async () => {
    const token = await supabaseToken('6f1c7a2e-0000-4000-8000-0000000000bb', 'new@example.com', false);
    expect((await accountOf(viaSupabase, token)).status).toBe(200);
  });
});

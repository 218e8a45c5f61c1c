/**
 * Each sign-in provider end to end in a real browser (Chromium via playwright-core) against a real server:
 * built-in auth, Clerk (its browser SDK `@clerk/clerk-js` and its prebuilt components `@clerk/ui` against the
 * Frontend API contract fake, reached through Clerk's `proxyUrl`) and Supabase Auth (`@supabase/supabase-js`
 * against the GoTrue contract fake). For each: sign up, create a key, call /v1 with it, see the request on
 * the Usage page, see the provider on the Profile page, sign out (the provider's session ends too) and be
 * refused, then sign in again — on Portal's form (built-in, Supabase) or in Clerk's own <SignIn/>, <SignUp/>
 * and user menu (Clerk); Supabase also by magic link, OAuth button and password reset; Clerk also token
 * refresh, <UserProfile/>, and no request outside Portal and the Frontend API. Screenshots of each
 * provider's sign-in page go to docs/screenshots/sign-in-<provider>.png (Clerk's user menu and profile too).
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWith } from '../support/services.js';
import { SCREENSHOTS, startBrowserPortal, type BrowserPortal } from '../support/browser.js';
import { chatBody } from '../support/http.js';
import { startFakeClerk, type FakeClerk } from '../support/fake-clerk.js';
import { startFakeSupabase, type FakeSupabase } from '../support/fake-supabase.js';

const PASSWORD = 'e2e-password-123';

/** A port to name before the Portal starts: Clerk's config lists the origin its tokens are minted for. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Running extends BrowserPortal {
  /** Paths of the scripts the dashboard loaded. */
  scripts: string[];
  /** Origins of every http(s) request the page made (scripts, styles, images, fonts, XHR). */
  origins: Set<string>;
}

/**
 * A Portal from the harness (shared store, simulator pool) with `auth` as its sign-in config, and a fresh
 * browser on its origin; `server` sets e.g. the port when the origin must be known in advance.
 */
async function start(auth: Record<string, unknown>, server: Record<string, unknown> = {}): Promise<Running> {
  const running = await startBrowserPortal({
    permissions: ['clipboard-read', 'clipboard-write'],
    portal: { config: { server, auth } },
  });
  const scripts: string[] = [];
  const origins = new Set<string>();
  running.page.on('request', (q) => {
    const url = new URL(q.url());
    if (url.protocol.startsWith('http')) origins.add(url.origin);
    if (q.resourceType() === 'script') scripts.push(url.pathname);
  });
  return { ...running, scripts, origins };
}

/** How a person signs up, in and out on a provider's sign-in pages. */
interface SignInUi {
  /** The signed-out visitor's sign-in page is showing (waits for it). */
  signInPage(page: Page): Promise<void>;
  signUp(page: Page, email: string): Promise<void>;
  signIn(page: Page, email: string): Promise<void>;
  signOut(page: Page): Promise<void>;
}

/** Portal's own forms (built-in auth, Supabase): the same labels and buttons in both modes. */
const portalForms: SignInUi = {
  async signInPage(page) {
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').waitFor();
    await page.getByLabel('Password').waitFor();
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
  },
  async signUp(page, email) {
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('Name').fill('Ada Lovelace');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
  },
  async signIn(page, email) {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  },
  async signOut(page) {
    await page.getByRole('navigation').getByRole('button', { name: 'Sign out' }).click();
  },
};

/** Clerk's own components (`@clerk/ui`), found by the labels and names Clerk renders (en-US). */
const clerkComponents: SignInUi = {
  async signInPage(page) {
    const card = page.getByTestId('provider-auth');
    await card.getByRole('heading', { name: /^Sign in to / }).waitFor();
    await card.getByLabel('Email address').waitFor();
    await card.getByRole('button', { name: 'Continue', exact: true }).waitFor();
  },
  async signUp(page, email) {
    await page.getByRole('link', { name: 'Sign up' }).click();
    const card = page.getByTestId('provider-auth');
    await card.getByRole('heading', { name: 'Create your account' }).waitFor();
    await card.getByLabel('Email address').fill(email);
    await card.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await card.getByRole('button', { name: 'Continue', exact: true }).click();
  },
  async signIn(page, email) {
    const card = page.getByTestId('provider-auth');
    await card.getByLabel('Email address').fill(email);
    await card.getByRole('button', { name: 'Continue', exact: true }).click();
    // Clerk asks for the identifier first, then the password on its next step (/sign-in/factor-one).
    await card.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await card.getByRole('button', { name: 'Continue', exact: true }).click();
  },
  async signOut(page) {
    // Clerk's user menu (<UserButton/>) in the dashboard's navigation.
    await page.getByTestId('user-menu').getByRole('button', { name: 'Open user menu' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Manage account' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'user-menu-clerk.png') });
    await page.getByRole('dialog').getByRole('button', { name: 'Sign out' }).click();
  },
};

/** The journey every provider must support, from the signed-out sign-in page to being refused again. */
function journey(
  provider: 'local' | 'clerk' | 'supabase',
  label: string,
  r: () => Running,
  liveProviderSessions?: () => number,
) {
  const email = `e2e-${provider}-${Date.now()}@example.com`;
  const keyName = `e2e ${provider}`;
  const ui = provider === 'clerk' ? clerkComponents : portalForms;
  let key = '';

  it(`${provider}: a signed-out visitor sees the sign-in page and creates an account`, async () => {
    const { page } = r();
    await page.goto('/keys');
    await ui.signInPage(page);
    await page.screenshot({ path: join(SCREENSHOTS, `sign-in-${provider}.png`), fullPage: true });
    await ui.signUp(page, email);
    await page.getByRole('heading', { name: 'Create your first API key' }).waitFor();
  });

  it(`${provider}: creates a key that calls /v1, and the call shows on the Usage page`, async () => {
    const { page, portal } = r();
    await page.getByRole('button', { name: 'Create your first key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create API key' });
    await dialog.getByLabel('Name').fill(keyName);
    await dialog.getByRole('button', { name: 'Create key' }).click();
    key = await page.getByTestId('new-key').inputValue();
    expect(key).toMatch(/^ptl_[0-9A-Za-z]{36}$/);
    const res = await portal
      .as(key)
      .post('/v1/chat/completions', chatBody({ messages: [{ role: 'user', content: 'Say hello' }] }));
    expect(res.status).toBe(200);
    await page.getByRole('button', { name: 'I have saved my key' }).click();
    await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Usage' }).click();
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.getByRole('heading', { level: 1, name: 'Usage' }).waitFor();
          return page.getByRole('row').filter({ hasText: keyName }).count();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBeGreaterThan(0);
  });

  it(`${provider}: the Profile page names ${label} as the sign-in provider`, async () => {
    const { page } = r();
    await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Profile' }).click();
    await page.getByText(`with ${label}`).waitFor();
  });

  it(`${provider}: after signing out the dashboard is refused, and signing in again works`, async () => {
    const { page } = r();
    await ui.signOut(page);
    await ui.signInPage(page);
    const status = await page.evaluate(async () => (await fetch('/api/keys')).status);
    expect(status).toBe(401);
    if (liveProviderSessions) expect(liveProviderSessions()).toBe(0); // the provider's session ended too
    await page.reload();
    await ui.signInPage(page);
    await ui.signIn(page, email);
    await page.getByRole('heading', { name: 'API Keys' }).waitFor();
    await page.getByText(keyName).waitFor();
  });

  it(`${provider}: loaded no other provider's SDK`, () => {
    const others = ['clerk', 'supabase'].filter((p) => p !== provider);
    expect(r().scripts.filter((path) => others.some((o) => path.includes(`/${o}-`)))).toEqual([]);
    if (provider !== 'local') expect(r().scripts.some((path) => path.includes(`/${provider}-`))).toBe(true);
  });

  it(`${provider}: ran under the dashboard CSP without a violation`, () => {
    expect(r().cspViolations.map((v) => v.slice(0, 300))).toEqual([]);
  });
}

describeWith(['chromium'], 'sign-in providers in a real browser', () => {
  describe('built-in', () => {
    let running: Running | undefined;
    beforeAll(async () => {
      running = await start({});
    }, 120_000);
    afterAll(() => running?.close());
    journey('local', 'Portal', () => running!);
  });

  describe('Supabase Auth', () => {
    let running: Running | undefined;
    let supabase: FakeSupabase;
    beforeAll(async () => {
      // 60-second tokens: inside supabase-js's 90-second margin, so every getSession() refreshes first.
      supabase = await startFakeSupabase({ accessTokenTtlSeconds: 60 });
      running = await start({
        provider: 'supabase',
        supabase: { url: supabase.url, anonKey: supabase.anonKey, oauthProviders: ['github'] },
      });
    }, 120_000);
    afterAll(async () => {
      await running?.close();
      await supabase.close();
    });
    journey(
      'supabase',
      'Supabase Auth',
      () => running!,
      () => supabase.liveSessions(),
    );

    it('supabase: the client refreshed its access token and the API took the refreshed one', () => {
      expect(supabase.refreshes).toBeGreaterThan(0);
    });

    it('supabase: a magic link signs in, and the OAuth button signs in through the provider', async () => {
      const { page } = running!;
      await page.getByRole('navigation').getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('button', { name: 'Email me a sign-in link instead' }).click();
      const address = supabase.mail.at(-1)?.to ?? '';
      await page.getByLabel('Email').fill(address || 'nobody@example.com');
      await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
      await page.getByText('We sent a sign-in link').waitFor();
      await page.goto(supabase.mail.at(-1)!.link);
      await page.getByRole('heading', { name: 'API Keys' }).waitFor();
      await page.getByRole('navigation').getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('button', { name: 'Continue with GitHub' }).click();
      await page.getByRole('heading', { name: 'Create your first API key' }).waitFor();
    });

    it('supabase: a password reset link sets a new password that then signs in', async () => {
      const { page } = running!;
      const address = supabase.mail.find((m) => m.type === 'magiclink')!.to;
      await page.getByRole('navigation').getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('link', { name: 'Forgot password?' }).click();
      await page.getByLabel('Email').fill(address);
      await page.getByRole('button', { name: 'Send reset link' }).click();
      await page.getByText('a reset link is on its way').waitFor();
      await page.goto(supabase.mail.at(-1)!.link);
      await page.getByLabel('New password').fill('a brand new passphrase 7');
      await page.getByRole('button', { name: 'Set password' }).click();
      await page.getByText('Your password was changed').waitFor();
      await page.goto('/keys');
      await page.getByRole('navigation').getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('Email').fill(address);
      await page.getByLabel('Password').fill('a brand new passphrase 7');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('heading', { name: 'API Keys' }).waitFor();
    });
  });

  describe('Clerk', () => {
    let running: Running | undefined;
    let clerk: FakeClerk;
    beforeAll(async () => {
      const port = await freePort();
      const origin = `http://127.0.0.1:${port}`;
      // 20-second session tokens: clerk-js refreshes them in the background well before they expire.
      clerk = await startFakeClerk({ authorizedParty: origin, tokenTtlSeconds: 20 });
      running = await start({ provider: 'clerk', clerk: clerk.portalConfig([origin]) }, { port });
    }, 120_000);
    afterAll(async () => {
      await running?.close();
      await clerk.close();
    });
    journey(
      'clerk',
      'Clerk',
      () => running!,
      () => clerk.liveSessions(),
    );

    it('clerk: the SDK refreshes the session token before it expires, and the API keeps answering', async () => {
      const { page } = running!;
      const before = clerk.tokensIssued;
      // Wait on the fake, not the clock: the SDK asks for a fresh token on its own while the page is idle.
      await expect.poll(() => clerk.tokensIssued, { timeout: 40_000, interval: 500 }).toBeGreaterThan(before);
      await page.waitForTimeout(21_000); // past the lifetime of every token issued before the wait
      await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Usage' }).click();
      await page.getByRole('row').filter({ hasText: 'e2e clerk' }).waitFor();
    }, 90_000);

    it('clerk: the page fetched nothing but Portal and the Frontend API (no code, style or image from a CDN)', () => {
      const { baseURL, origins } = running!;
      expect([...origins].sort()).toEqual([new URL(baseURL).origin, clerk.url].sort());
      // Clerk's components came in the dashboard's own chunks, loaded only in this mode.
      expect(running!.scripts.filter((p) => p.startsWith('/assets/')).length).toBeGreaterThan(5);
    });

    it('clerk: the user menu’s “Manage account” opens Clerk’s <UserProfile/> on the Profile page, and the fake answered every request', async () => {
      const { page } = running!;
      await page.getByTestId('user-menu').getByRole('button', { name: 'Open user menu' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Manage account' }).click();
      // The Profile page and Clerk's <UserProfile/> are lazy chunks: under a full parallel suite (load 5–6 on
      // two cores) they once took longer than the 8 s default. A wait, not a performance bound.
      await page
        .getByRole('heading', { level: 1, name: 'Profile', exact: true })
        .waitFor({ timeout: 30_000 });
      const profile = page.getByTestId('provider-profile');
      await profile.getByRole('heading', { name: 'Profile details' }).waitFor({ timeout: 30_000 });
      await profile
        .getByText(/^e2e-clerk-.*@example\.com$/)
        .first()
        .waitFor();
      await page.screenshot({ path: join(SCREENSHOTS, 'profile-clerk.png'), fullPage: true });
      expect(clerk.unhandled).toEqual([]);
    }, 90_000); // its own waits are 30 s each: the suite's 30 s test timeout cut them short under load
  });
  describe('Clerk with its hosted pages (auth.clerk.signInUrl)', () => {
    let running: Running | undefined;
    let clerk: FakeClerk;
    beforeAll(async () => {
      const port = await freePort();
      const origin = `http://127.0.0.1:${port}`;
      clerk = await startFakeClerk({ authorizedParty: origin });
      const config = { ...clerk.portalConfig([origin]), signInUrl: `${clerk.url}/sign-in` };
      running = await start({ provider: 'clerk', clerk: config }, { port });
    }, 120_000);
    afterAll(async () => {
      await running?.close();
      await clerk.close();
    });

    it('clerk hosted: the Profile page links to Clerk’s account page instead of embedding <UserProfile/>', async () => {
      const { page } = running!;
      await page.goto('/sign-up');
      const card = page.getByTestId('provider-auth');
      await card.getByRole('heading', { name: 'Create your account' }).waitFor();
      await card.getByLabel('Email address').fill(`e2e-hosted-${Date.now()}@example.com`);
      await card.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await card.getByRole('button', { name: 'Continue', exact: true }).click();
      await page.getByRole('heading', { name: 'Create your first API key' }).waitFor();
      await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Profile' }).click();
      const link = page.getByRole('link', { name: 'Clerk account' });
      expect(await link.getAttribute('href')).toMatch(new RegExp(`^${clerk.url}/user`));
      expect(await page.getByTestId('provider-profile').count()).toBe(0);
      expect(clerk.unhandled).toEqual([]);
    });
  });
});

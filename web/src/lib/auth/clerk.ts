/**
 * Clerk through its official browser SDK, `@clerk/clerk-js` (the `no-rhc` build: no remotely hosted code,
 * so nothing is fetched from Clerk's CDN), bundled into a chunk loaded only in Clerk mode. It is used
 * headless — Portal's own sign-in form drives `client.signIn` / `client.signUp`, since Clerk's prebuilt UI
 * (`@clerk/ui`) would be a second, larger bundle (decision 019). The SDK keeps the session, refreshes the
 * 60-second session token before it expires, and `session.getToken()` returns the fresh one for /api/*.
 */
import { Clerk } from '@clerk/clerk-js/no-rhc';
import { navigate } from '../router';
import type { AuthClient } from './types';

interface ClerkApiError {
  errors?: Array<{ longMessage?: string; message?: string }>;
  message?: string;
}

/** Clerk's error text (its API errors carry a person-readable `longMessage`). */
function clerkError(err: unknown): Error {
  const e = err as ClerkApiError;
  return new Error(
    e.errors?.[0]?.longMessage ?? e.errors?.[0]?.message ?? e.message ?? 'Clerk refused the request.',
  );
}

export async function clerkAuth(settings: {
  publishableKey: string;
  signInUrl: string | null;
  proxyUrl: string | null;
}): Promise<AuthClient> {
  const clerk = new Clerk(settings.publishableKey, settings.proxyUrl ? { proxyUrl: settings.proxyUrl } : {});
  // Clerk navigates after sign-in / sign-out; inside the dashboard that is the dashboard's own router.
  const go = (replace: boolean) => (to: string) => {
    const url = new URL(to, window.location.href);
    if (url.origin !== window.location.origin) return window.location.assign(url);
    navigate(url.pathname + url.search, { replace });
  };
  await clerk.load({ routerPush: go(false), routerReplace: go(true), afterSignOutUrl: '/sign-in' });
  const client = () => {
    if (!clerk.client) throw new Error('Clerk is not available. Reload the page and try again.');
    return clerk.client;
  };
  const guarded = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      throw clerkError(err);
    }
  };
  const hosted = settings.signInUrl;
  return {
    provider: 'clerk',
    label: 'Clerk',
    hostedSignInUrl: hosted,
    signIn: (email, password) =>
      guarded(async () => {
        const attempt = await client().signIn.create({ identifier: email, password, strategy: 'password' });
        if (attempt.status !== 'complete')
          throw new Error('Clerk needs another step to sign you in. Use Clerk’s sign-in page.');
        await clerk.setActive({ session: attempt.createdSessionId });
      }),
    signUp: (name, email, password) =>
      guarded(async () => {
        const [firstName, ...rest] = name.split(' ');
        const attempt = await client().signUp.create({
          emailAddress: email,
          password,
          firstName: firstName || undefined,
          lastName: rest.join(' ') || undefined,
        });
        if (attempt.status !== 'complete')
          throw new Error(
            'Clerk needs you to confirm your email first. Finish signing up on Clerk’s sign-in page.',
          );
        await clerk.setActive({ session: attempt.createdSessionId });
        return { signedIn: true };
      }),
    getToken: async () => (clerk.session ? await clerk.session.getToken() : null),
    signOut: () => guarded(() => clerk.signOut()),
    accountUrl: () => (clerk.loaded ? clerk.buildUserProfileUrl() || null : null),
  };
}

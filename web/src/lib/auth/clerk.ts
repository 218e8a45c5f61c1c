/**
 * Clerk through its official browser packages, both bundled from npm into a chunk loaded only in Clerk
 * mode: `@clerk/clerk-js` (the SDK: session, token refresh, Frontend API calls) and `@clerk/ui` (Clerk's
 * prebuilt components, passed to `clerk.load({ ui })`). Both are imported as their `no-rhc` builds — "no
 * remotely hosted code": without `ui` clerk-js has no components, and nothing else makes it fetch code from
 * Clerk's CDN (decision 019). The dashboard mounts Clerk's own <SignIn/>, <SignUp/>, <UserButton/> and
 * <UserProfile/>; the SDK keeps the session, refreshes the 60-second session token before it expires, and
 * `session.getToken()` returns the fresh one for /api/*.
 */
import { Clerk } from '@clerk/clerk-js/no-rhc';
import { ui } from '@clerk/ui/no-rhc';
import { navigate } from '../router';
import type { AuthClient } from './types';

/** Clerk's components in Portal's colours (Clerk's `appearance.variables`). */
const APPEARANCE = {
  variables: { colorPrimary: '#4f46e5', borderRadius: '0.5rem' },
};

/** Where Clerk's components live in the dashboard (path routing: sub-steps are /sign-in/factor-one, …). */
export const CLERK_PATHS = { signIn: '/sign-in', signUp: '/sign-up', profile: '/profile' };

export async function clerkAuth(settings: {
  publishableKey: string;
  signInUrl: string | null;
  proxyUrl: string | null;
}): Promise<AuthClient> {
  const clerk = new Clerk(settings.publishableKey, settings.proxyUrl ? { proxyUrl: settings.proxyUrl } : {});
  // Clerk navigates after sign-in / sign-out and between its steps; inside the dashboard that is the
  // dashboard's own router (Clerk's path router follows history.pushState).
  const go = (replace: boolean) => (to: string) => {
    const url = new URL(to, window.location.href);
    if (url.origin !== window.location.origin) return window.location.assign(url);
    navigate(url.pathname + url.search + url.hash, { replace });
  };
  const hosted = settings.signInUrl;
  // The server's per-page style nonce: Portal's CSP allows the <style> elements of Clerk's components (emotion)
  // only with it. clerk-js hands its load options to `@clerk/ui`, which gives `nonce` to its emotion cache
  // (@clerk/react passes it the same way); clerk-js's own option type does not declare it.
  const nonce = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce || undefined;
  await clerk.load({
    ...{ nonce },
    ui,
    appearance: APPEARANCE,
    routerPush: go(false),
    routerReplace: go(true),
    signInUrl: hosted ?? CLERK_PATHS.signIn,
    signUpUrl: CLERK_PATHS.signUp,
    signInFallbackRedirectUrl: '/keys',
    signUpFallbackRedirectUrl: '/keys',
    afterSignOutUrl: CLERK_PATHS.signIn,
  });
  /** Mounts one of Clerk's components into `node`; the returned function unmounts it. */
  const mounter =
    (mount: (node: HTMLDivElement) => void, unmount: (node: HTMLDivElement) => void) =>
    (node: HTMLDivElement) => {
      mount(node);
      return () => unmount(node);
    };
  return {
    provider: 'clerk',
    label: 'Clerk',
    hostedSignInUrl: hosted,
    getToken: async () => (clerk.session ? await clerk.session.getToken() : null),
    signOut: () => clerk.signOut(),
    // Clerk's Account Portal when hosted pages are configured; else <UserProfile/> on the Profile page.
    accountUrl: () => (hosted && clerk.loaded ? clerk.buildUserProfileUrl() || null : null),
    onSessionChange: (listener) => {
      let last = clerk.session?.id ?? null;
      return clerk.addListener(({ session }) => {
        const now = session?.id ?? null;
        if (now === last) return;
        last = now;
        listener(now !== null);
      });
    },
    components: {
      signIn: mounter(
        (n) =>
          clerk.mountSignIn(n, { routing: 'path', path: CLERK_PATHS.signIn, signUpUrl: CLERK_PATHS.signUp }),
        (n) => clerk.unmountSignIn(n),
      ),
      signUp: mounter(
        (n) =>
          clerk.mountSignUp(n, { routing: 'path', path: CLERK_PATHS.signUp, signInUrl: CLERK_PATHS.signIn }),
        (n) => clerk.unmountSignUp(n),
      ),
      userButton: mounter(
        (n) =>
          clerk.mountUserButton(n, {
            userProfileMode: 'navigation',
            userProfileUrl: hosted ? clerk.buildUserProfileUrl() : CLERK_PATHS.profile,
          }),
        (n) => clerk.unmountUserButton(n),
      ),
      userProfile: mounter(
        (n) => clerk.mountUserProfile(n, { routing: 'path', path: CLERK_PATHS.profile }),
        (n) => clerk.unmountUserProfile(n),
      ),
    },
  };
}

/**
 * What the dashboard needs to know to sign someone in, served unauthenticated at `/api/auth/provider`:
 * which provider, whether new local accounts confirm their email, and for Clerk / Supabase the public
 * values their browser SDKs are configured with (publishable / anon keys are public by design; no secret
 * key or JWT secret is ever included).
 */
import type { PortalConfig } from '#src/platform/config/schema.js';
import type { AuthProviderResponse } from '#src/contracts/index.js';
import type { DashboardCspSources } from '#src/product/static.js';

export function publicAuthConfig(
  auth: PortalConfig['auth'],
  emailVerification: boolean,
): AuthProviderResponse {
  if (auth.provider === 'clerk' && auth.clerk)
    return {
      provider: 'clerk',
      emailVerification,
      clerk: {
        publishableKey: auth.clerk.publishableKey ?? null,
        signInUrl: auth.clerk.signInUrl ?? null,
        proxyUrl: auth.clerk.proxyUrl ?? null,
      },
    };
  if (auth.provider === 'supabase' && auth.supabase)
    return {
      provider: 'supabase',
      emailVerification,
      supabase: {
        url: auth.supabase.url.replace(/\/+$/, ''),
        anonKey: auth.supabase.anonKey ?? null,
        oauthProviders: auth.supabase.oauthProviders,
      },
    };
  return { provider: auth.provider, emailVerification };
}

/**
 * What the dashboard's CSP must allow for the provider's SDK: the origin it talks to (`connect-src`) —
 * Clerk's Frontend API (its proxy when one is set, else the host a publishable key names, base64 of
 * `<host>$`) or the Supabase project — and, for Clerk, `blob:` workers (clerk-js runs its timers in one, as
 * Clerk's CSP guide says) and a style nonce for its components' <style> elements.
 */
export function providerCspSources(auth: PortalConfig['auth']): DashboardCspSources {
  if (auth.provider === 'clerk' && auth.clerk) {
    // Clerk's components (`@clerk/ui`) style themselves with emotion's <style> elements: a per-page nonce.
    const clerk = { worker: ['blob:'], styleNonce: true };
    if (auth.clerk.proxyUrl) return { connect: [new URL(auth.clerk.proxyUrl).origin], ...clerk };
    const encoded = auth.clerk.publishableKey?.replace(/^pk_(live|test)_/, '');
    const host = encoded ? Buffer.from(encoded, 'base64').toString('utf8').replace(/\$$/, '') : '';
    return { connect: /^[a-z0-9.-]+(:\d+)?$/i.test(host) ? [`https://${host}`] : [], ...clerk };
  }
  if (auth.provider === 'supabase' && auth.supabase)
    return { connect: [new URL(auth.supabase.url).origin], worker: [] };
  return { connect: [], worker: [] };
}

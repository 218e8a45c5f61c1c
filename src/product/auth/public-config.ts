/**
 * What the dashboard needs to know to sign someone in, served unauthenticated at `/api/auth/provider`:
 * which provider, whether new local accounts confirm their email, and for Clerk / Supabase the public
 * values their browser SDKs are configured with (publishable / anon keys are public by design; no secret
 * key or JWT secret is ever included).
 */
import type { PortalConfig } from '../../platform/config/schema.js';
import type { AuthProviderResponse } from '../../contracts/index.js';

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

/**
 * Clerk and Supabase Auth as alternatives to built-in auth: the dashboard (or a script) presents the
 * provider's session JWT (`Authorization: Bearer …`, or Clerk's `__session` cookie); we verify signature
 * (JWKS URL, or Supabase's shared HS256 secret), issuer, audience, expiry and — for Clerk — the authorized
 * party (`azp` must be one of `auth.clerk.authorizedParties`) with jose, and return who it is.
 * Pure verification — mapping to a Portal user lives in ./external-users.ts.
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { PortalConfig } from '../../platform/config/schema.js';

export interface ExternalIdentity {
  provider: 'clerk' | 'supabase';
  subject: string;
  email: string | null;
  name: string | null;
}

export type VerifyExternalToken = (token: string) => Promise<ExternalIdentity | null>;

type Env = Record<string, string | undefined>;

export function createExternalVerifier(
  auth: PortalConfig['auth'],
  env: Env = process.env,
): VerifyExternalToken {
  if (auth.provider === 'clerk') {
    const clerk = auth.clerk;
    if (!clerk) throw new Error('auth.provider is "clerk" but auth.clerk { jwksUrl, issuer } is missing');
    const jwks = createRemoteJWKSet(new URL(clerk.jwksUrl));
    return verifier('clerk', jwks, {
      issuer: clerk.issuer,
      audience: clerk.audience,
      authorizedParties: clerk.authorizedParties,
    });
  }
  if (auth.provider === 'supabase') {
    const supabase = auth.supabase;
    if (!supabase) throw new Error('auth.provider is "supabase" but auth.supabase { url } is missing');
    const base = supabase.url.replace(/\/+$/, '');
    const secret = supabase.jwtSecretEnv ? env[supabase.jwtSecretEnv] : undefined;
    if (supabase.jwtSecretEnv && !secret)
      throw new Error(`auth.supabase.jwtSecretEnv names ${supabase.jwtSecretEnv}, which is not set`);
    const key = secret
      ? new TextEncoder().encode(secret)
      : createRemoteJWKSet(new URL(supabase.jwksUrl ?? `${base}/auth/v1/.well-known/jwks.json`));
    return verifier('supabase', key, { issuer: `${base}/auth/v1`, audience: supabase.audience });
  }
  throw new Error(`auth.provider "${auth.provider}" does not use external tokens`);
}

function verifier(
  provider: ExternalIdentity['provider'],
  key: JWTVerifyGetKey | Uint8Array,
  claims: { issuer: string; audience?: string; authorizedParties?: string[] },
): VerifyExternalToken {
  const parties = claims.authorizedParties?.map((p) => new URL(p).origin);
  const options = {
    issuer: claims.issuer,
    ...(claims.audience ? { audience: claims.audience } : {}),
    algorithms: key instanceof Uint8Array ? ['HS256'] : ['RS256', 'ES256', 'EdDSA'],
    requiredClaims: ['sub', 'exp'],
    clockTolerance: 5,
  };
  return async function verifyExternalToken(token) {
    try {
      const { payload } =
        key instanceof Uint8Array
          ? await jwtVerify(token, key, options)
          : await jwtVerify(token, key, options);
      // Clerk: a token minted for another app of the same instance names that app in `azp`.
      if (parties && !(typeof payload.azp === 'string' && parties.includes(payload.azp))) return null;
      return identity(provider, payload);
    } catch {
      return null; // bad signature, wrong issuer/audience, expired, unreachable JWKS: not signed in
    }
  };
}

function identity(provider: ExternalIdentity['provider'], payload: JWTPayload): ExternalIdentity | null {
  if (!payload.sub) return null;
  const meta = (payload.user_metadata ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
  return {
    provider,
    subject: payload.sub,
    email: str(payload.email),
    name: str(payload.name) ?? str(meta.full_name) ?? str(meta.name),
  };
}

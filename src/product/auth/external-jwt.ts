/**
 * Clerk and Supabase Auth as alternatives to built-in auth: the dashboard (or a script) presents the
 * provider's session JWT (`Authorization: Bearer …`, or Clerk's `__session` cookie); we verify signature
 * (JWKS URL, or Supabase's shared HS256 secret), issuer, audience, expiry and — for Clerk — the authorized
 * party (`azp` must be one of `auth.clerk.authorizedParties`) with jose, and return who it is.
 * Every refusal is logged with its reason (expired, unknown key, wrong issuer, …) and never the token.
 * Pure verification — mapping to a Portal user lives in ./external-users.ts. Why jose and not
 * `@clerk/backend`: docs/decisions/019-clerk-and-supabase-in-the-dashboard.md.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { PortalConfig } from '#src/platform/config/schema.js';
import type { Logger } from '#src/platform/log.js';

export interface ExternalIdentity {
  provider: 'clerk' | 'supabase';
  subject: string;
  email: string | null;
  /** The provider vouches that the person controls `email` (claim `email_verified`, or Supabase's metadata). */
  emailVerified: boolean;
  name: string | null;
}

export type VerifyExternalToken = (token: string) => Promise<ExternalIdentity | null>;

type Env = Record<string, string | undefined>;

export function createExternalVerifier(
  auth: PortalConfig['auth'],
  opts: { env?: Env; log?: Logger } = {},
): VerifyExternalToken {
  const env = opts.env ?? process.env;
  if (auth.provider === 'clerk') {
    const clerk = auth.clerk;
    if (!clerk) throw new Error('auth.provider is "clerk" but auth.clerk { jwksUrl, issuer } is missing');
    const jwks = createRemoteJWKSet(new URL(clerk.jwksUrl));
    return verifier('clerk', jwks, opts.log, {
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
    return verifier('supabase', key, opts.log, { issuer: `${base}/auth/v1`, audience: supabase.audience });
  }
  throw new Error(`auth.provider "${auth.provider}" does not use external tokens`);
}

function verifier(
  provider: ExternalIdentity['provider'],
  key: JWTVerifyGetKey | Uint8Array,
  log: Logger | undefined,
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
  const refuse = (reason: string) => {
    log?.warn({ component: 'auth', provider, reason }, 'provider token refused');
    return null;
  };
  return async function verifyExternalToken(token) {
    let payload: JWTPayload;
    try {
      payload = (
        key instanceof Uint8Array
          ? await jwtVerify(token, key, options)
          : await jwtVerify(token, key, options)
      ).payload;
    } catch (err) {
      return refuse(refusalReason(err));
    }
    // Clerk: a token minted for another app of the same instance names that app in `azp`.
    if (parties && !(typeof payload.azp === 'string' && parties.includes(payload.azp)))
      return refuse('azp_not_authorized');
    return identity(provider, payload) ?? refuse('no_subject');
  };
}

/** A short, token-free reason for the log: jose's error code, and the claim when one failed. */
function refusalReason(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'expired';
  if (err instanceof errors.JWTClaimValidationFailed) return `claim_invalid:${err.claim}`;
  if (err instanceof errors.JWKSNoMatchingKey) return 'unknown_signing_key';
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'bad_signature';
  if (err instanceof errors.JOSEError) return err.code;
  return 'jwks_unavailable';
}

function identity(provider: ExternalIdentity['provider'], payload: JWTPayload): ExternalIdentity | null {
  if (!payload.sub) return null;
  const meta = (payload.user_metadata ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
  return {
    provider,
    subject: payload.sub,
    email: str(payload.email),
    // Clerk: a custom session claim (`"email_verified": "{{user.email_verified}}"`, see the README);
    // Supabase: `user_metadata.email_verified`, set once the address is confirmed.
    emailVerified: payload.email_verified === true || meta.email_verified === true,
    name: str(payload.name) ?? str(meta.full_name) ?? str(meta.name),
  };
}

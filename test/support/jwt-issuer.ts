/**
 * A signing key pair and its JWKS, as a hosted identity provider keeps them: the contract fakes
 * (fake-clerk.ts, fake-supabase.ts) sign real session JWTs with it, and tests use a second, unlisted
 * issuer to forge "a token signed by an unknown key".
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

export interface JwtIssuer {
  kid: string;
  jwks: { keys: JWK[] };
  /** Signs `claims` (iat now; exp after `ttlSeconds`, negative for an already expired token). */
  sign(claims: Record<string, unknown>, ttlSeconds: number): Promise<string>;
}

export async function createJwtIssuer(alg: 'RS256' | 'ES256' = 'RS256'): Promise<JwtIssuer> {
  const { publicKey, privateKey }: { publicKey: CryptoKey; privateKey: CryptoKey } = await generateKeyPair(
    alg,
    { extractable: true },
  );
  const kid = `ins_${randomUUID().slice(0, 8)}`;
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return {
    kid,
    jwks: { keys: [jwk] },
    sign: (claims, ttlSeconds) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT(claims)
        .setProtectedHeader({ alg, kid, typ: 'JWT' })
        .setIssuedAt(now)
        .setNotBefore(now - 5)
        .setExpirationTime(now + ttlSeconds)
        .sign(privateKey);
    },
  };
}

/**
 * A JWKS endpoint on 127.0.0.1 and a JWT signer, standing in for Clerk / Supabase Auth: session tokens are
 * signed here and verified by Portal against the served public key.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';

export interface Jwks {
  url: string;
  privateKey: CryptoKey;
  close(): Promise<void>;
}

export async function serveJwks(): Promise<Jwks> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    privateKey,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export type Claims = Record<string, unknown> & { sub: string };

export interface SignOptions {
  issuer: string;
  audience?: string;
  /** A jose duration ('5m') or an absolute epoch second (a past one makes an expired token). */
  expiresIn?: string | number;
  alg?: string;
}

export function signJwt(claims: Claims, key: CryptoKey | Uint8Array, opts: SignOptions): Promise<string> {
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: opts.alg ?? 'RS256', kid: 'test-key' })
    .setIssuer(opts.issuer)
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? '5m');
  if (opts.audience) jwt = jwt.setAudience(opts.audience);
  return jwt.sign(key);
}

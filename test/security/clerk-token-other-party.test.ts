/**
 * Attack: present a Clerk session token minted for another application on the same Clerk instance (its
 * `azp`, the authorized party, is that application's origin). Tokens are accepted only when `azp` is one
 * of `auth.clerk.authorizedParties`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import type { Store } from '../../src/platform/store/db.js';
import { openTestStore } from '../support/pglite.js';
import { createTestPortal, type TestPortal } from '../product/harness.js';

const ISSUER = 'https://clerk.portal.test';
const APP = 'https://app.portal.test';

describe('Clerk tokens of another authorized party', () => {
  let store: Store;
  let portal: TestPortal;
  let jwks: Server;
  let privateKey: CryptoKey;
  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k', alg: 'RS256', use: 'sig' };
    jwks = createServer((_q, r) =>
      r.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })),
    );
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
    store = await openTestStore();
    portal = await createTestPortal(store, {
      auth: { provider: 'clerk', clerk: { jwksUrl, issuer: ISSUER, authorizedParties: [APP] } },
    });
  });
  afterAll(async () => {
    portal.close();
    await store.close();
    await new Promise((r) => jwks.close(r));
  });

  const token = (claims: Record<string, unknown>) =>
    new SignJWT({ sub: 'user_azp', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'k' })
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);

  const status = async (claims: Record<string, unknown>) =>
    (await portal.req('/api/account', { headers: { authorization: `Bearer ${await token(claims)}` } }))
      .status;

  it('401 for a token whose azp is another application', async () => {
    expect(await status({ azp: 'https://evil.example' })).toBe(401);
  });

  it('401 for a token with no azp', async () => {
    expect(await status({})).toBe(401);
  });

  it('200 for a token of a listed party', async () => {
    expect(await status({ azp: APP })).toBe(200);
  });
});

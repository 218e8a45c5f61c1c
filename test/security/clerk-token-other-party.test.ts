/**
 * Attack: present a Clerk session token minted for another application on the same Clerk instance (its
 * `azp`, the authorized party, is that application's origin). Tokens are accepted only when `azp` is one
 * of `auth.clerk.authorizedParties`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePortal } from '../support/harness.js';
import { serveJwks, signJwt, type Jwks } from '../support/jwks.js';

const ISSUER = 'https://clerk.portal.test';
const APP = 'https://app.portal.test';

describe('Clerk tokens of another authorized party', () => {
  let jwks: Jwks;
  beforeAll(async () => {
    jwks = await serveJwks();
  });
  const t = usePortal(() => ({
    config: {
      auth: { provider: 'clerk', clerk: { jwksUrl: jwks.url, issuer: ISSUER, authorizedParties: [APP] } },
    },
  }));
  afterAll(() => jwks.close());

  const status = async (claims: Record<string, unknown>) => {
    const token = await signJwt({ sub: 'user_azp', ...claims }, jwks.privateKey, { issuer: ISSUER });
    return (await t.as(token).get('/api/account')).status;
  };

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

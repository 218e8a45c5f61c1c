/**
 * Finding: nosniff, Referrer-Policy, frame protection and a CSP were set only on dashboard files; JSON
 * answers, errors and auth answers had none. Now every response carries them, and every HTML answer has a
 * CSP that allows the dashboard bundle (no inline scripts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { usePortal } from '../support/harness.js';

const t = usePortal();

function expectBaseHeaders(res: Response) {
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('referrer-policy')).toBeTruthy();
  expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
}

describe('security headers', () => {
  it.each([
    ['GET', '/healthz'],
    ['GET', '/v1/models'],
    ['POST', '/v1/chat/completions'],
    ['GET', '/api/keys'],
    ['GET', '/api/auth/get-session'],
    ['GET', '/admin/api/pools'],
    ['GET', '/no/such/api/v1'],
    ['DELETE', '/'],
  ])('on %s %s', async (method, path) => {
    const res = await t.anon.request(method, path);
    expectBaseHeaders(res);
    await res.arrayBuffer();
  });

  it('every HTML answer has a CSP that allows the bundle and no inline script', async () => {
    for (const path of ['/', '/keys', '/some/spa/route']) {
      const res = await t.anon.get(path);
      expect(res.headers.get('content-type')).toContain('text/html');
      expectBaseHeaders(res);
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toMatch(/script-src 'self'(;|$)/);
      expect(csp).not.toContain("'unsafe-eval'");
      const html = await res.text();
      // The bundle's scripts are same-origin files; an inline <script> would need a hash in the CSP.
      for (const tag of html.match(/<script[^>]*>/g) ?? []) expect(tag).toMatch(/src="\/assets\//);
    }
  });

  it('built-in auth: no style nonce (the dashboard writes no <style> element)', async () => {
    const res = await t.anon.get('/keys');
    expect(res.headers.get('content-security-policy')).toMatch(/style-src 'self';/);
    expect(await res.text()).not.toContain('csp-nonce');
  });

  it('the built dashboard has no inline scripts', () => {
    const html = readFileSync(new URL('../../web/dist/index.html', import.meta.url), 'utf8');
    expect(html.match(/<script(?![^>]*\bsrc=)[^>]*>/g) ?? []).toEqual([]);
  });
});

describe('security headers in Clerk mode', () => {
  const clerk = usePortal({
    config: {
      auth: {
        provider: 'clerk',
        clerk: {
          jwksUrl: 'https://clerk.portal.test/.well-known/jwks.json',
          issuer: 'https://clerk.portal.test',
          authorizedParties: ['https://portal.test'],
          publishableKey: `pk_live_${Buffer.from('clerk.portal.test$').toString('base64')}`,
        },
      },
    },
  });

  it("each page gets a fresh style nonce for Clerk's components, in its CSP and in its meta tag", async () => {
    const nonces: string[] = [];
    for (const path of ['/sign-in', '/sign-in']) {
      const res = await clerk.anon.get(path);
      const csp = res.headers.get('content-security-policy')!;
      const html = await res.text();
      const nonce = /<meta property="csp-nonce" nonce="([A-Za-z0-9+/=]+)"/.exec(html)?.[1] ?? '';
      expect(nonce.length).toBeGreaterThanOrEqual(24);
      expect(csp).toContain(`style-src 'self' 'nonce-${nonce}';`);
      expect(csp).toMatch(/script-src 'self';/); // scripts stay same-origin files only
      expect(csp).not.toContain("'unsafe-inline'");
      nonces.push(nonce);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });
});

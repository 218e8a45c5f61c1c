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

  it('the built dashboard has no inline scripts', () => {
    const html = readFileSync(new URL('../../web/dist/index.html', import.meta.url), 'utf8');
    expect(html.match(/<script(?![^>]*\bsrc=)[^>]*>/g) ?? []).toEqual([]);
  });
});

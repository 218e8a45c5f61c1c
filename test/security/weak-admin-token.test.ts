/**
 * Finding: any admin token of 16+ characters was accepted ('aaaaaaaaaaaaaaaa' too), wrong guesses were never
 * slowed down, and the admin API answered from any address. Now: 32+ characters with enough variety, checked at
 * config load; 10 wrong tokens from one address in 5 minutes answer 429 until the window passes (a bounded
 * LRU of addresses); `admin.allowIps` limits the admin API to operator networks.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '#src/platform/config/load.js';
import { ADMIN_TOKEN, usePortal } from '../support/harness.js';
import { errorOf } from '../support/http.js';

const load = (token: string) => loadConfig({ env: { PORTAL_ADMIN_TOKEN: token } });

describe('admin token strength at config load', () => {
  it.each([
    ['16 repeated characters', 'a'.repeat(16)],
    ['40 repeated characters', 'a'.repeat(40)],
    ['27 characters', 'test-admin-token-0123456789'],
    ['a repeated short unit', 'abcd1234'.repeat(5)],
    ['two characters alternating', 'ab'.repeat(24)],
  ])('refuses %s with one clear line', (_what, token) => {
    expect(() => load(token)).toThrow(ConfigError);
    expect(() => load(token)).toThrow(/^config: admin\.token: .*at least 32 .*\n?$/);
  });

  it('accepts a random token', () => {
    expect(load('3f9c0b7e5a41d2c86e0f4a9b1c7d3e5f').admin.token).toBe('3f9c0b7e5a41d2c86e0f4a9b1c7d3e5f');
    expect(load(ADMIN_TOKEN).admin.token).toBe(ADMIN_TOKEN);
  });
});

describe('admin API guards', () => {
  const t = usePortal({
    config: {
      server: { trustProxy: 1 },
      admin: { token: ADMIN_TOKEN, allowIps: ['10.0.0.0/8', '2001:db8::/32'] },
    },
  });
  const from = (ip: string, token: string) =>
    t.as(token).with({ 'x-forwarded-for': ip }).get('/admin/api/pools');

  it('answers 429 after 10 wrong tokens from one address, the right token included, other addresses not', async () => {
    for (let i = 0; i < 10; i++) expect((await from('10.0.0.9', `wrong-${i}`)).status).toBe(401);
    const blocked = await from('10.0.0.9', ADMIN_TOKEN);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await errorOf(blocked)).code).toBe('rate_limit_exceeded');
    expect((await from('10.0.0.10', ADMIN_TOKEN)).status).toBe(200);
  });

  it('403 from an address outside admin.allowIps, even with the right token', async () => {
    expect((await from('203.0.113.5', ADMIN_TOKEN)).status).toBe(403);
    expect((await from('2001:db8::7', ADMIN_TOKEN)).status).toBe(200);
  });
});

/**
 * Attack: lock a victim out of their account by failing sign-ins for their email from the attacker's own
 * address, or reset every lockout at once by spraying attempts for many emails until the guard's memory is
 * cleared. The guard backs off per (email, client address) and forgets only its least recently used entries.
 */
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { usePortal } from '../support/harness.js';
import { createAttemptGuard } from '#src/product/auth/brute-force.js';
import { testClock } from '../support/clock.js';

/** POSTs JSON from a chosen loopback source address (127.0.0.x), as a distinct client would. */
function post(url: string, path: string, from: string, json: unknown) {
  const body = JSON.stringify(json);
  return new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      {
        method: 'POST',
        localAddress: from,
        headers: {
          'content-type': 'application/json',
          origin: url,
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('lockouts', () => {
  const portal = usePortal();

  it("an attacker's failures lock only the attacker's address out, not the victim's", async () => {
    const email = 'lockout-victim@example.com';
    const password = 'victim passphrase 42';
    expect(
      (await post(portal.url, '/api/auth/sign-up/email', '127.0.0.3', { email, password, name: 'V' })).status,
    ).toBe(200);
    for (let i = 0; i < 5; i++)
      await post(portal.url, '/api/auth/sign-in/email', '127.0.0.2', {
        email,
        password: 'wrong guess 12345',
      });
    const attacker = await post(portal.url, '/api/auth/sign-in/email', '127.0.0.2', { email, password });
    const victim = await post(portal.url, '/api/auth/sign-in/email', '127.0.0.3', { email, password });
    expect({ attacker: attacker.status, victim: victim.status }).toEqual({ attacker: 429, victim: 200 });
    expect(Number(attacker.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('the in-memory guard under a spray of keys', () => {
  it('keeps a recent lockout when more than 100,000 other entries are recorded', async () => {
    const guard = createAttemptGuard({ maxFailures: 5, windowMs: 15 * 60_000, capacity: 100_000 });
    // One instant for the whole spray: however slow the machine, the lockout window cannot pass mid-test.
    const at = testClock().now();
    for (let i = 0; i < 60_000; i++) await guard.begin(`spray${i}@example.com`, `ip-${i}`, at);
    for (let i = 0; i < 5; i++) await guard.begin('victim@example.com', '10.0.0.9', at);
    for (let i = 60_000; i < 120_000; i++) await guard.begin(`spray${i}@example.com`, `ip-${i}`, at);
    const after = await guard.begin('victim@example.com', '10.0.0.9', at);
    expect(after.ok).toBe(false);
  });
});

/**
 * Attack: strip TLS (a network attacker downgrades the first request to http) to read the session cookie.
 * When the public origin is https, cookies are Secure and every answer carries HSTS; over a plain-http
 * origin, no HSTS (it would lock browsers out of a development server).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/platform/store/db.js';
import { openTestStore } from '../support/pglite.js';
import { createTestPortal, type TestPortal } from '../product/harness.js';

const PUBLIC = 'https://portal.example';

describe('an https public origin', () => {
  let store: Store;
  let tls: TestPortal;
  let plain: TestPortal;
  beforeAll(async () => {
    store = await openTestStore();
    tls = await createTestPortal(store, { server: { publicUrl: PUBLIC } });
    plain = await createTestPortal(store);
  });
  afterAll(async () => {
    tls.close();
    plain.close();
    await store.close();
  });

  it('sends HSTS on API, auth and dashboard answers, and Secure session cookies', async () => {
    const get = (path: string) =>
      tls.app.request(`${PUBLIC}${path}`, { headers: { host: 'portal.example' } });
    const answers = await Promise.all(['/healthz', '/api/auth/get-session', '/', '/v1/models'].map(get));
    expect(answers.map((r) => r.headers.get('strict-transport-security'))).toEqual(
      Array(4).fill('max-age=31536000; includeSubDomains'),
    );
    const signUp = await tls.app.request(`${PUBLIC}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { host: 'portal.example', origin: PUBLIC, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'tls-user@example.com', password: 'secure cookies only 7', name: 'T' }),
    });
    const signIn = await tls.app.request(`${PUBLIC}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { host: 'portal.example', origin: PUBLIC, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'tls-user@example.com', password: 'secure cookies only 7' }),
    });
    const cookies = [...signUp.headers.getSetCookie(), ...signIn.headers.getSetCookie()];
    expect(cookies.length).toBeGreaterThan(0);
    expect(cookies.filter((c) => !/; Secure/i.test(c))).toEqual([]);
  });

  it('sends no HSTS over a plain-http origin', async () => {
    const res = await plain.req('/healthz');
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });
});

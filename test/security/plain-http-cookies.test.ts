/**
 * Attack: strip TLS (a network attacker downgrades the first request to http) to read the session cookie.
 * When the public origin is https, cookies are Secure and every answer carries HSTS; over a plain-http
 * origin, no HSTS (it would lock browsers out of a development server).
 */
import { describe, expect, it } from 'vitest';
import { usePortal } from '../support/harness.js';

const PUBLIC = 'https://portal.example';

describe('an https public origin', () => {
  const tls = usePortal({ config: { server: { publicUrl: PUBLIC } } });
  const plain = usePortal();

  it('sends HSTS on API, auth and dashboard answers, and Secure session cookies', async () => {
    const paths = ['/healthz', '/api/auth/get-session', '/', '/v1/models'];
    const answers = await Promise.all(paths.map((path) => tls.anon.get(path)));
    expect(answers.map((r) => r.headers.get('strict-transport-security'))).toEqual(
      Array(4).fill('max-age=31536000; includeSubDomains'),
    );
    const user = { email: 'tls-user@example.com', password: 'secure cookies only 7' };
    const signUp = await tls.anon.post('/api/auth/sign-up/email', { ...user, name: 'T' });
    const signIn = await tls.anon.post('/api/auth/sign-in/email', user);
    const cookies = [...signUp.headers.getSetCookie(), ...signIn.headers.getSetCookie()];
    expect(cookies.length).toBeGreaterThan(0);
    expect(cookies.filter((c) => !/; Secure/i.test(c))).toEqual([]);
  });

  it('sends no HSTS over a plain-http origin', async () => {
    const res = await plain.anon.get('/healthz');
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });
});

/**
 * Attack (on the operator's logs): make better-auth fail on a request that carries a token, so the error —
 * with the query's bound parameters — is printed. Whatever reaches standard output or error must be pino
 * JSON, and no token, password or key may appear in it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPortalProcess, type PortalProcess } from '../support/processes.js';

const TOKEN = 'PLANTEDTOKEN7f3a9c1e5b';
const PASSWORD = 'planted password 9731';

describe('better-auth errors in the logs', { timeout: 120_000 }, () => {
  let portal: PortalProcess;
  beforeAll(async () => {
    portal = await startPortalProcess({ LOG_LEVEL: 'debug' }, 110_000);
  }, 120_000);
  afterAll(async () => {
    await portal.stop();
  });

  it('a failing reset with a NUL-laden token logs JSON lines without the token', async () => {
    const post = (path: string, json: unknown) =>
      fetch(`${portal.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: portal.url },
        body: JSON.stringify(json),
      });
    await post('/api/auth/reset-password', { token: `${TOKEN}\u0000x`, newPassword: PASSWORD });
    await fetch(`${portal.url}/api/auth/reset-password/${TOKEN}%00?callbackURL=/reset-password`);
    await post('/api/auth/verify-email', { token: `${TOKEN}\u0000` });
    await fetch(`${portal.url}/api/auth/verify-email?token=${TOKEN}%00`);
    await new Promise((r) => setTimeout(r, 1_000));
    const lines = portal
      .output()
      .split('\n')
      .filter((l) => l.trim());
    const notJson = lines.filter((l) => {
      try {
        JSON.parse(l);
        return false;
      } catch {
        return true;
      }
    });
    expect(notJson).toEqual([]);
    // The failure itself is logged — by pino, scrubbed.
    expect(lines.some((l) => l.includes('"component":"auth"'))).toBe(true);
    expect(lines.filter((l) => l.includes(TOKEN) || l.includes(PASSWORD))).toEqual([]);
  });
});

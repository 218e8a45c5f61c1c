/**
 * Attack: ask for a password reset of the victim's account with a forged `Host` / `Origin` and an
 * attacker's `redirectTo`, so the mailed link (its host, or its callback) points at the attacker, who then
 * receives the reset token. The mail is read from a real SMTP server, as the victim would get it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/platform/store/db.js';
import { openTestStore } from '../support/pglite.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { createTestPortal, type TestPortal } from '../product/harness.js';

const EVIL = 'http://evil.example';

function send(portal: TestPortal, base: string, path: string, json: unknown, origin = base) {
  const host = new URL(base).host;
  return portal.app.request(`${base}${path}`, {
    method: 'POST',
    headers: { host, origin, 'content-type': 'application/json' },
    body: JSON.stringify(json),
  });
}

async function setUp(smtp: SmtpSink, store: Store, server: Record<string, unknown>) {
  return createTestPortal(store, {
    server,
    auth: { smtp: { host: '127.0.0.1', port: smtp.port, from: 'Portal <no-reply@portal.test>' } },
  });
}

async function victim(portal: TestPortal, base: string, email: string) {
  await send(portal, base, '/api/auth/sign-up/email', {
    email,
    password: 'victim has a long pass 1',
    name: 'V',
  });
}

/** Waits for mail to settle (delivery is asynchronous), then returns every link mailed to `to`. */
async function mailedLinks(smtp: SmtpSink, to: string): Promise<string[]> {
  await new Promise((r) => setTimeout(r, 800));
  return smtp.linksTo(to).filter((l) => l.includes('reset-password'));
}

describe('password-reset link poisoning', () => {
  let smtp: SmtpSink;
  let store: Store;
  beforeAll(async () => {
    smtp = await startSmtpSink();
    store = await openTestStore();
  });
  afterAll(async () => {
    await store.close();
    await smtp.close();
  });

  describe('with server.publicUrl set', () => {
    const PUBLIC = 'https://portal.example';
    let portal: TestPortal;
    beforeAll(async () => {
      portal = await setUp(smtp, store, { publicUrl: PUBLIC });
    });
    afterAll(() => portal.close());

    it('a forged Host and an attacker redirectTo never put the attacker in the mailed link', async () => {
      const email = 'victim-a@example.com';
      await victim(portal, PUBLIC, email);
      const res = await send(
        portal,
        EVIL,
        '/api/auth/request-password-reset',
        { email, redirectTo: `${EVIL}/steal` },
        EVIL,
      );
      const links = await mailedLinks(smtp, email);
      expect({ status: res.status, evilLinks: links.filter((l) => l.includes('evil.example')) }).toEqual({
        status: 403, // the Origin is not this site (and the Host alone is refused: next case)
        evilLinks: [],
      });
    });

    it('the right Host with an attacker redirectTo is refused, and no mail carries it', async () => {
      const email = 'victim-b@example.com';
      await victim(portal, PUBLIC, email);
      const res = await send(portal, PUBLIC, '/api/auth/request-password-reset', {
        email,
        redirectTo: `${EVIL}/steal`,
      });
      const links = await mailedLinks(smtp, email);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { param: string } }).error.param).toBe('redirectTo');
      expect(links.filter((l) => l.includes('evil.example'))).toEqual([]);
    });

    it('a forged Host alone (same-site Origin) is refused with 400 naming the host', async () => {
      const email = 'victim-f@example.com';
      await victim(portal, PUBLIC, email);
      const res = await send(
        portal,
        EVIL,
        '/api/auth/request-password-reset',
        { email, redirectTo: '/r' },
        PUBLIC,
      );
      const links = await mailedLinks(smtp, email);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { param: string } }).error.param).toBe('host');
      expect(links.filter((l) => l.includes('evil.example'))).toEqual([]);
    });

    it('a normal request mails a link on the public origin with a same-origin callback', async () => {
      const email = 'victim-c@example.com';
      await victim(portal, PUBLIC, email);
      const res = await send(portal, PUBLIC, '/api/auth/request-password-reset', {
        email,
        redirectTo: '/reset-password',
      });
      expect(res.status).toBe(200);
      const links = await mailedLinks(smtp, email);
      expect(links).toHaveLength(1);
      const link = new URL(links[0]!);
      expect(link.origin).toBe(PUBLIC);
      expect(link.searchParams.get('callbackURL')).toBe('/reset-password');
    });
  });

  describe('without server.publicUrl (development default on loopback)', () => {
    let portal: TestPortal;
    beforeAll(async () => {
      portal = await setUp(smtp, store, { host: '127.0.0.1', port: 8080 });
    });
    afterAll(() => portal.close());

    it('a forged Host is refused and no link to it is mailed', async () => {
      const email = 'victim-d@example.com';
      await victim(portal, 'http://localhost:8080', email);
      const res = await send(
        portal,
        EVIL,
        '/api/auth/request-password-reset',
        { email, redirectTo: `${EVIL}/steal` },
        EVIL,
      );
      const links = await mailedLinks(smtp, email);
      expect({ status: res.status, evilLinks: links.filter((l) => l.includes('evil.example')) }).toEqual({
        status: 403,
        evilLinks: [],
      });
    });

    it('the mailed link is on http://localhost:<port>', async () => {
      const email = 'victim-e@example.com';
      await victim(portal, 'http://localhost:8080', email);
      await send(portal, 'http://localhost:8080', '/api/auth/request-password-reset', {
        email,
        redirectTo: '/reset-password',
      });
      const links = await mailedLinks(smtp, email);
      expect(links.map((l) => new URL(l).origin)).toEqual(['http://localhost:8080']);
    });
  });
});

/**
 * Attack: ask for a password reset of the victim's account with a forged `Host` / `Origin` and an
 * attacker's `redirectTo`, so the mailed link (its host, or its callback) points at the attacker, who then
 * receives the reset token. The mail is read from a real SMTP server, as the victim would get it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { usePortal, type TestPortal } from '../support/harness.js';
import { errorOf } from '../support/http.js';

const EVIL = 'http://evil.example';
const PUBLIC = 'https://portal.example';

/** POSTs JSON in-process as if to `base` (its host in the Host header), with a chosen Origin. */
function send(portal: TestPortal, base: string, path: string, json: unknown, origin = base) {
  return portal.app.request(`${base}${path}`, {
    method: 'POST',
    headers: { host: new URL(base).host, origin, 'content-type': 'application/json' },
    body: JSON.stringify(json),
  });
}

/** Signs the victim up, asks for a reset as given, and returns the answer and every reset link mailed. */
async function resetFor(
  smtp: SmtpSink,
  portal: TestPortal,
  email: string,
  ask: { base: string; origin?: string; redirectTo: string },
) {
  const home = portal.origin;
  await send(portal, home, '/api/auth/sign-up/email', {
    email,
    password: 'victim has a long pass 1',
    name: 'V',
  });
  const res = await send(
    portal,
    ask.base,
    '/api/auth/request-password-reset',
    { email, redirectTo: ask.redirectTo },
    ask.origin ?? ask.base,
  );
  // Delivery is asynchronous and a refused request mails nothing to wait for: give mail time to settle.
  await new Promise((r) => setTimeout(r, 800));
  const links = smtp.linksTo(email).filter((l) => l.includes('reset-password'));
  return { res, links, evilLinks: links.filter((l) => l.includes('evil.example')) };
}

describe('password-reset link poisoning', () => {
  let smtp: SmtpSink;
  beforeAll(async () => {
    smtp = await startSmtpSink();
  });
  afterAll(() => smtp.close());
  const withSmtp = (server: Record<string, unknown>) => () => ({
    config: {
      server,
      auth: { smtp: { host: '127.0.0.1', port: smtp.port, from: 'Portal <no-reply@portal.test>' } },
    },
  });

  describe('with server.publicUrl set', () => {
    const t = usePortal(withSmtp({ publicUrl: PUBLIC }));

    it('a forged Host and an attacker redirectTo never put the attacker in the mailed link', async () => {
      const { res, evilLinks } = await resetFor(smtp, t, 'victim-a@example.com', {
        base: EVIL,
        redirectTo: `${EVIL}/steal`,
      });
      // 403: the Origin is not this site (and the Host alone is refused: a later case)
      expect({ status: res.status, evilLinks }).toEqual({ status: 403, evilLinks: [] });
    });

    it.each([
      [
        'the right Host with an attacker redirectTo',
        { base: PUBLIC, redirectTo: `${EVIL}/steal` },
        'redirectTo',
      ],
      ['a forged Host alone (same-site Origin)', { base: EVIL, origin: PUBLIC, redirectTo: '/r' }, 'host'],
    ])('%s is refused with 400 naming it, and no mail carries the attacker', async (_what, ask, param) => {
      const email = `victim-${param}@example.com`;
      const { res, evilLinks } = await resetFor(smtp, t, email, ask);
      expect({ ...(await errorOf(res)), evilLinks }).toMatchObject({ status: 400, param, evilLinks: [] });
    });

    it('a normal request mails a link on the public origin with a same-origin callback', async () => {
      const { res, links } = await resetFor(smtp, t, 'victim-c@example.com', {
        base: PUBLIC,
        redirectTo: '/reset-password',
      });
      expect(res.status).toBe(200);
      expect(links).toHaveLength(1);
      const link = new URL(links[0]!);
      expect(link.origin).toBe(PUBLIC);
      expect(link.searchParams.get('callbackURL')).toBe('/reset-password');
    });
  });

  describe('without server.publicUrl (development default on loopback)', () => {
    const t = usePortal(withSmtp({}));

    it('a forged Host is refused and no link to it is mailed', async () => {
      const { res, evilLinks } = await resetFor(smtp, t, 'victim-d@example.com', {
        base: EVIL,
        redirectTo: `${EVIL}/steal`,
      });
      expect({ status: res.status, evilLinks }).toEqual({ status: 403, evilLinks: [] });
    });

    it('the mailed link is on the development origin, http://localhost', async () => {
      const { links } = await resetFor(smtp, t, 'victim-e@example.com', {
        base: t.origin,
        redirectTo: '/reset-password',
      });
      expect(links.map((l) => new URL(l).origin)).toEqual(['http://localhost']);
    });
  });
});

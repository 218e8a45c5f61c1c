/**
 * Password reset mail over SMTP: with `auth.smtp` set, the reset link is delivered through a real SMTP
 * conversation to a small SMTP server this test runs on 127.0.0.1 (credentials from the named env var).
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePortal } from '../support/harness.js';

interface Received {
  auth: string | null;
  from: string;
  to: string[];
  data: string;
}

function smtpServer(): Promise<{ port: number; mails: Received[]; close(): Promise<void> }> {
  const mails: Received[] = [];
  const server: Server = createServer((socket: Socket) => {
    let buffer = '';
    let inData = false;
    let mail: Received = { auth: null, from: '', to: [], data: '' };
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 test.local ESMTP');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let i: number;
      while ((i = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            mails.push(mail);
            mail = { auth: mail.auth, from: '', to: [], data: '' };
            reply('250 queued');
          } else mail.data += `${line}\n`;
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') socket.write('250-test.local\r\n250-AUTH PLAIN\r\n250 OK\r\n');
        else if (verb === 'HELO') reply('250 test.local');
        else if (verb === 'AUTH') {
          mail.auth = Buffer.from(line.split(' ')[2] ?? '', 'base64').toString('utf8');
          reply('235 accepted');
        } else if (verb === 'MAIL') {
          mail.from = line;
          reply('250 OK');
        } else if (verb === 'RCPT') {
          mail.to.push(line);
          reply('250 OK');
        } else if (verb === 'DATA') {
          inData = true;
          reply('354 go ahead');
        } else if (verb === 'QUIT') {
          reply('221 bye');
          socket.end();
        } else reply('250 OK');
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        mails,
        close: () => new Promise((r) => server.close(() => r())),
      }),
    ),
  );
}

describe('password reset over SMTP', () => {
  const ENV = 'PORTAL_TEST_SMTP_CREDENTIALS';
  let smtp: Awaited<ReturnType<typeof smtpServer>>;
  beforeAll(async () => {
    smtp = await smtpServer();
    process.env[ENV] = 'mailer:s3cret';
  });
  const portal = usePortal(() => ({
    config: {
      auth: {
        smtp: { host: '127.0.0.1', port: smtp.port, from: 'Portal <no-reply@portal.test>', userEnv: ENV },
      },
    },
  }));
  afterAll(async () => {
    delete process.env[ENV];
    await smtp.close();
  });

  it('delivers the reset link to the user through the SMTP server', async () => {
    const user = await portal.signUp();
    const res = await portal.anon.post('/api/auth/request-password-reset', {
      email: user.email,
      redirectTo: '/reset-password',
    });
    expect(res.status).toBe(200);
    // (the sign-up's address-verification mail came first: SMTP turns verification on)
    const resets = () => smtp.mails.filter((m) => /Subject: Reset your Portal password/.test(m.data));
    await expect.poll(() => resets().length, { timeout: 5_000 }).toBe(1);
    const mail = resets()[0]!;
    expect(mail.auth).toBe('\u0000mailer\u0000s3cret');
    expect(mail.from).toContain('no-reply@portal.test');
    expect(mail.to.join()).toContain(user.email);
    expect(mail.data).toMatch(/Subject: Reset your Portal password/);
    expect(mail.data.replace(/=\n/g, '')).toMatch(/\/api\/auth\/reset-password\/\S+/);
  });
});

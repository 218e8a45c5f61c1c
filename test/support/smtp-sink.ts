/**
 * A real SMTP server on 127.0.0.1 (the `smtp-server` package) that keeps every message it receives, so a
 * test reads the mail a user would get — links included — instead of Portal's log or outbox.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SmtpSink {
  port: number;
  mails: Array<{ to: string[]; data: string }>;
  /** The links in the mails sent to `to` (quoted-printable soft breaks undone). */
  linksTo(to: string): string[];
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: SmtpSink['mails'] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address);
        mails.push({ to, data: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    mails,
    linksTo: (to) =>
      mails
        .filter((m) => m.to.includes(to))
        .flatMap(
          (m) =>
            m.data
              .replace(/=\r?\n/g, '')
              .replace(/=3D/g, '=')
              .match(/https?:\/\/[^\s"<>]+/g) ?? [],
        ),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

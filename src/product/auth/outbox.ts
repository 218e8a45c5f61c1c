/**
 * Outgoing mail (password reset links). With `auth.smtp` configured, messages go out through nodemailer's
 * SMTP transport (credentials from the environment variable named by `smtp.userEnv`, as "user:password");
 * without it they are logged — enough for development. Either way the process keeps the last 50 in
 * `outbox.sent` (tests read the reset link there). A failed delivery is logged, never shown to the requester.
 * nodemailer is loaded only when SMTP is configured (with ajv, loaded lazily too, it was ~5 MB of the server's
 * import RSS: 96 → 91 MB, one measurement).
 */
import { createRequire } from 'node:module';
import type { Transporter } from 'nodemailer';
import type { Logger } from '#src/platform/log.js';
import type { PortalConfig } from '#src/platform/config/schema.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Outbox {
  send(message: MailMessage): Promise<void>;
  /** The last messages sent by this process (newest last, at most 50). */
  readonly sent: readonly MailMessage[];
}

type SmtpConfig = NonNullable<PortalConfig['auth']['smtp']>;

export function createOutbox(options: {
  log: Logger;
  smtp?: SmtpConfig;
  env?: Record<string, string | undefined>;
}): Outbox {
  const { log, smtp } = options;
  const sent: MailMessage[] = [];
  const transport = smtp ? smtpTransport(smtp, options.env ?? process.env) : undefined;
  return {
    sent,
    async send(message) {
      sent.push(message);
      if (sent.length > 50) sent.shift();
      if (!transport || !smtp) {
        // The link is a credential for one hour: logged only where mail is not delivered otherwise.
        log.info(
          { to: message.to, subject: message.subject, body: message.text },
          'mail outbox (not delivered)',
        );
        return;
      }
      try {
        await transport.sendMail({ from: smtp.from, ...message });
        log.info({ to: message.to, subject: message.subject }, 'mail sent');
      } catch (err) {
        log.error({ err, to: message.to, subject: message.subject }, 'mail delivery failed');
      }
    },
  };
}

function smtpTransport(smtp: SmtpConfig, env: Record<string, string | undefined>): Transporter {
  const credentials = smtp.userEnv ? env[smtp.userEnv] : undefined;
  if (smtp.userEnv && !credentials)
    throw new Error(`auth.smtp.userEnv names ${smtp.userEnv}, which is not set`);
  const split = credentials?.indexOf(':') ?? -1;
  const { createTransport } = createRequire(import.meta.url)('nodemailer') as typeof import('nodemailer');
  return createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.port === 465,
    ...(credentials && split > 0
      ? { auth: { user: credentials.slice(0, split), pass: credentials.slice(split + 1) } }
      : {}),
  });
}

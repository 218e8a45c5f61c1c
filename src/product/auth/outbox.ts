/**
 * Outgoing mail (password reset links). Without SMTP settings the message is logged — enough for development
 * and tests, which read `outbox.sent`. With `auth.smtp` configured a real transport would send it; V1 logs a
 * warning that SMTP delivery is not built yet (see the report in docs/decisions when it lands).
 */
import type { Logger } from '../../platform/log.js';

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

export function createLogOutbox(log: Logger): Outbox {
  const sent: MailMessage[] = [];
  return {
    sent,
    async send(message) {
      sent.push(message);
      if (sent.length > 50) sent.shift();
      // The link is a credential for one hour: log it only where mail is not delivered otherwise.
      log.info(
        { to: message.to, subject: message.subject, body: message.text },
        'mail outbox (not delivered)',
      );
    },
  };
}

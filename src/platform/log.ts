/**
 * The process logger: pino JSON lines. Secrets are redacted by path; prompt and answer text is never passed
 * to the logger in the first place.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const level =
    options.level ?? process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info');
  return pino(
    {
      level,
      base: { service: 'portal' },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers["x-api-key"]',
          'req.headers.cookie',
          '*.password',
          '*.apiKey',
          '*.key',
          '*.token',
          '*.secret',
          // Database errors carry the query's bound parameters (tokens among them); auth bodies, passwords.
          'err.params',
          'err.cause.params',
          '*.params',
          '*.newPassword',
          '*.currentPassword',
          '*.sessionToken',
          'req.headers["set-cookie"]',
        ],
        censor: '[redacted]',
      },
    },
    // Standard output written asynchronously: a synchronous write per line was a syscall on the request path.
    // Lines written meanwhile leave together; pino flushes what is left when the process exits.
    (options.destination ?? pino.destination({ dest: 1, sync: false })) as never,
  );
}

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

/**
 * The access line's logger: `log`'s destination, level and bindings, without redaction. Redaction copies and
 * walks every logged object: 9.4–10.9 µs per access line against 3.9–4.7 µs without (bench/access-line.ts), paid
 * on every request. An access line holds only fields Portal sets itself (request id, method, route label,
 * status, duration): never a header, a body or a path with a token in it.
 */
export function accessLoggerOf(log: Logger): Logger {
  const symbols = pino.symbols as typeof pino.symbols & { chindingsSym: symbol };
  const raw = log as unknown as Record<symbol, unknown>;
  // Its bindings as written on every line (`,"service":"portal","worker":1,"pid":…`). Not `log.bindings()`:
  // that drops `pid` and `hostname`, and the workers' access lines must say which process served them.
  const chindings = String(raw[symbols.chindingsSym] ?? '');
  const base = JSON.parse(`{${chindings.slice(1)}}`) as Record<string, unknown>;
  return pino({ level: log.level, base }, raw[symbols.streamSym] as never);
}

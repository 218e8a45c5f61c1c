/**
 * better-auth's logger, routed through pino. Its messages and errors can carry what must never reach a log:
 * database errors quote the query's bound parameters (reset and session tokens), and some messages name
 * tokens. Errors are reduced to their type, code and first line without parameters; anything token-shaped
 * (20+ URL-safe characters in a row) is masked.
 */
import type { Logger } from '#src/platform/log.js';

const TOKEN_SHAPED = /[A-Za-z0-9_-]{20,}/g;

/** A log-safe line: the first line, no `params:` tail, token-shaped runs masked, at most 300 characters. */
export function scrubText(text: string): string {
  const firstLine = text.split('\n')[0] ?? '';
  return firstLine
    .replace(/params:.*$/i, '')
    .replace(TOKEN_SHAPED, '[redacted]')
    .slice(0, 300);
}

/** An error as a log-safe object (never its parameters, query values or stack). */
export function scrubError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: scrubText(String(err)) };
  const cause = err.cause instanceof Error ? err.cause : undefined;
  const code = (err as { code?: unknown }).code ?? (cause as { code?: unknown } | undefined)?.code;
  return {
    type: err.name,
    ...(typeof code === 'string' ? { code } : {}),
    message: scrubText(err.message),
    ...(cause ? { cause: scrubText(cause.message) } : {}),
  };
}

type Level = 'debug' | 'info' | 'warn' | 'error';

/** The `logger` option of better-auth: every line through pino, scrubbed. */
export function authLogger(log: Logger) {
  return {
    level: 'warn' as const,
    log(level: Level, message: string, ...args: unknown[]) {
      const details = args.map((a) => (a instanceof Error ? scrubError(a) : scrubText(String(a))));
      log[level]({ component: 'auth', ...(details.length ? { details } : {}) }, scrubText(message));
    },
  };
}

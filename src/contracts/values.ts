/**
 * Value rules the contracts share: plain-text names (keys, users, organizations) and client dates. Pure and
 * browser-safe: the dashboard runs the same checks as the server.
 */

/**
 * Characters that hide, reorder or break text people read: controls (Cc, C1 included), format characters (Cf:
 * bidi embeddings and overrides U+202A–U+202E, isolates U+2066–U+2069, zero-width characters, BOM), line and
 * paragraph separators, lone surrogates. Names shown to people (keys, users, organizations) refuse them.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

/** Whether a name is plain, visible text. Example: isPlainText('ci key') → true; isPlainText('a\u202Eb') → false. */
export function isPlainText(s: string): boolean {
  return !INVISIBLE.test(s);
}

const MIN_TIME = Date.UTC(1970, 0, 1);
const MAX_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** A date a client sent, clamped to years 1970–9999: PostgreSQL has no year 0 and JavaScript allows ±275760. */
export function clampDate(date: Date): Date {
  return new Date(Math.min(MAX_TIME, Math.max(MIN_TIME, date.getTime())));
}

/**
 * Expected refusals as values (STYLE.md §4): the domain core (authenticate, admit, the limits, the auth guard)
 * returns a Denial instead of throwing, and says when a retry can succeed in milliseconds. Only the gateway's
 * HTTP edge (edge.ts) turns one into an error response and its headers.
 */
import type { ErrorCode } from '../platform/http/errors.js';

/** One window's state as reported to the caller (OpenAI's x-ratelimit-* headers). */
export interface WindowState {
  limit?: number;
  remaining?: number;
  resetMs: number;
}

/** The tightest request window and the tightest token window of a decision. */
export type RateWindows = Partial<Record<'requests' | 'tokens', WindowState>>;

export interface Denial {
  ok: false;
  code: ErrorCode;
  message: string;
  param?: string | null;
  /** When retrying can succeed. */
  retryAfterMs?: number;
  /** The windows' state at the refusal. */
  windows?: RateWindows;
  /** Whether retrying is worth it at all (a plan's allowance used up: no). */
  shouldRetry?: boolean;
}

/** A Denial in a line: `return deny('model_disabled', 'The model …', { param: 'model' })`. */
export function deny(
  code: ErrorCode,
  message: string,
  details: Omit<Denial, 'ok' | 'code' | 'message'> = {},
): Denial {
  return { ok: false, code, message, ...details };
}

/**
 * Upstream failures, whatever their shape: status codes classed as retryable or not, `retry-after` read,
 * and the error text extracted for operators' logs (it never reaches a customer).
 */
import type { UpstreamFailure } from './types.js';

const RETRYABLE = new Set([408, 429, 500, 502, 503, 504, 522, 524]);

/** Parses JSON from upstream bytes; undefined when it is not JSON. */
export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The message of `{"error":{"message"}}`, `{"error":"..."}` or `{"message":"..."}`, if the body is one. */
export function upstreamErrorMessage(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  const { error, message } = body;
  if (isRecord(error) && typeof error.message === 'string') return error.message;
  if (typeof error === 'string') return error;
  if (typeof message === 'string' && !('choices' in body) && !('status' in body)) return message;
  return undefined;
}

/** retry-after as milliseconds: seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * 503 says the server cannot take work now (a router whose backend died, an overloaded model server): the
 * caller sees `upstream_unavailable`, as when the router is unreachable. Before, a model whose only router
 * was stopped answered 502 `upstream_error` until the breaker opened (the soak's 30-minute run).
 */
function kindOfStatus(status: number): UpstreamFailure['kind'] {
  if (status === 408 || status === 504 || status === 524) return 'timeout';
  return status === 503 ? 'unavailable' : 'error';
}

export function failureFromStatus(
  status: number,
  headers: Record<string, string>,
  body: string,
): UpstreamFailure {
  const message = upstreamErrorMessage(safeJson(body)) ?? body.slice(0, 200);
  return {
    kind: kindOfStatus(status),
    retryable: RETRYABLE.has(status),
    status,
    retryAfterMs: parseRetryAfter(headers['retry-after']),
    detail: `HTTP ${status}: ${message}`,
  };
}

export function malformed(detail: string): UpstreamFailure {
  return { kind: 'error', retryable: true, detail: `malformed answer: ${detail}` };
}

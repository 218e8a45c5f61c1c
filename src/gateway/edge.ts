/**
 * The gateway's HTTP edge: the one place where the domain's values become headers. A Denial (or an inference
 * failure that says when to retry) becomes a PortalError carrying `retry-after`, `retry-after-ms` (on a 429:
 * the limit windows answer to the millisecond, the upstreams' back-off in whole seconds), `x-ratelimit-*` and
 * `x-should-retry`; an admission's windows become the `x-ratelimit-*` of the answer. The kernel renders the
 * PortalError in the route's shape (platform/http/kernel.ts).
 */
import { PortalError, type ErrorCode } from '../platform/http/errors.js';
import { UpstreamError } from '../inference/failures.js';
import type { Denial, RateWindows } from './denial.js';

const MEASURES = ['requests', 'tokens'] as const;

/** OpenAI's x-ratelimit-* headers (limit, remaining and reset of the tightest request and token windows),
 * each handed to `set`: the answer's go straight onto the Node response. */
export function eachRateLimitHeader(windows: RateWindows, set: (name: string, value: string) => void): void {
  for (const measure of MEASURES) {
    const w = windows[measure];
    if (!w) continue;
    if (w.limit !== undefined) set(`x-ratelimit-limit-${measure}`, String(w.limit));
    if (w.remaining !== undefined) set(`x-ratelimit-remaining-${measure}`, String(Math.max(0, w.remaining)));
    set(`x-ratelimit-reset-${measure}`, formatDuration(w.resetMs));
  }
}

/**
 * The error for a refusal: its code, message and param, with its retry and window headers. An UpstreamError
 * (the inference layer's "retry in n s") gets its retry-after; any other PortalError passes as it is.
 */
export function refusal(d: Denial | PortalError): PortalError {
  if (d instanceof PortalError) {
    if (!(d instanceof UpstreamError) || d.retryAfterMs === undefined) return d;
    return new PortalError({
      code: d.code,
      message: d.message,
      param: d.param,
      headers: retryHeaders(d.code, d.retryAfterMs),
    });
  }
  const headers: Record<string, string> = {};
  if (d.windows) eachRateLimitHeader(d.windows, (name, value) => (headers[name] = value));
  if (d.retryAfterMs !== undefined) retryHeaders(d.code, d.retryAfterMs, headers);
  if (d.shouldRetry !== undefined) headers['x-should-retry'] = String(d.shouldRetry);
  return new PortalError({ code: d.code, message: d.message, param: d.param, headers });
}

function retryHeaders(code: ErrorCode, retryAfterMs: number, into: Record<string, string> = {}) {
  into['retry-after'] = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
  if (code === 'rate_limit_exceeded' || code === 'insufficient_quota')
    into['retry-after-ms'] = String(retryAfterMs);
  return into;
}

/** OpenAI's reset format: "20ms", "1s", "6m0s", "1h2m3s". */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0s';
  if (ms < 1000) return `${Math.ceil(ms)}ms`;
  let s = Math.ceil(ms / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return h ? `${h}h${m}m${s}s` : m ? `${m}m${s}s` : `${s}s`;
}

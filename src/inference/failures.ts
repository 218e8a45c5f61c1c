/**
 * What a customer sees when no upstream answered: generic PortalErrors (the upstream's own text stays in
 * our logs), saying when a retry can succeed where waiting helps (a value: the gateway's HTTP edge renders
 * it as `retry-after`), and distinct words for "under maintenance" (pool or routers drained/disabled) and
 * "no healthy router".
 */
import { PortalError, type ErrorInit } from '../platform/http/errors.js';
import type { UpstreamFailure } from './adapters/types.js';
import type { Availability } from './pools/fleet.js';

/** An upstream failure that says when retrying can succeed (no HTTP here: the gateway renders it). */
export class UpstreamError extends PortalError {
  readonly retryAfterMs: number | undefined;
  constructor(init: Omit<ErrorInit, 'headers'> & { retryAfterMs?: number }) {
    super(init);
    this.retryAfterMs = init.retryAfterMs;
  }
}

export function unavailableError(modelId: string, availability: Availability): UpstreamError {
  const retryAfterS = availability.ok ? 1 : availability.retryAfterS;
  const reason = availability.ok ? 'unhealthy' : availability.reason;
  const message = {
    no_pool: `No upstream serves model '${modelId}' at the moment.`,
    maintenance: `Model '${modelId}' is temporarily unavailable for maintenance. Please retry later.`,
    unhealthy: `Model '${modelId}' has no healthy upstream right now. Please retry shortly.`,
    busy: `Model '${modelId}' is at capacity right now. Please retry shortly.`,
  }[reason];
  return new UpstreamError({ code: 'upstream_unavailable', message, retryAfterMs: retryAfterS * 1000 });
}

export function timeoutError(): PortalError {
  return new PortalError({
    code: 'upstream_timeout',
    message: 'The model did not answer within the request deadline.',
  });
}

export function cancelledError(): PortalError {
  return new PortalError({ code: 'upstream_error', message: 'The request was cancelled.' });
}

/** The error for the last failed attempt (or for having had no router to try at all). */
export function finalError(
  modelId: string,
  last: UpstreamFailure | undefined,
  availability: Availability,
): PortalError {
  if (!last) return unavailableError(modelId, availability);
  switch (last.kind) {
    case 'timeout':
      return timeoutError();
    case 'unavailable': {
      // A router that answered 503 with its own retry-after is believed when it asks for longer.
      const asked = Math.ceil((last.retryAfterMs ?? 0) / 1000);
      const now: Availability = availability.ok
        ? { ok: false, reason: 'unhealthy', retryAfterS: Math.max(1, asked) }
        : availability;
      return unavailableError(modelId, now);
    }
    case 'error':
      return new UpstreamError({
        code: 'upstream_error',
        message: 'The model server returned an error. Please retry.',
        retryAfterMs: last.retryable ? 1000 : undefined,
      });
  }
}

/** A failure met while streaming, after the stream was handed to the caller. */
export function streamError(failure: UpstreamFailure): PortalError {
  return failure.kind === 'timeout'
    ? timeoutError()
    : new PortalError({ code: 'upstream_error', message: 'The model server stopped answering mid-stream.' });
}

/**
 * One error type at the edge. Every failure a client can see is a PortalError with a code from one closed
 * union; `describeCode` maps each code to its HTTP status and error type, and `renderError` writes it in
 * OpenAI's shape (or Anthropic's on /v1/messages). Nothing else writes error bodies.
 */
/** Every code a client can see (the closed union below is made from it). */
export const ERROR_CODES = [
  'invalid_request_error',
  'invalid_json',
  'payload_too_large',
  'unsupported_media_type',
  'not_found',
  'method_not_allowed',
  'unauthorized',
  'forbidden',
  'csrf_rejected',
  'conflict',
  'key_limit_reached',
  'invalid_api_key',
  'key_revoked',
  'key_expired',
  'key_disabled',
  'account_disabled',
  'model_not_found',
  'model_not_allowed',
  'model_disabled',
  'rate_limit_exceeded',
  'insufficient_quota',
  'context_length_exceeded',
  'upstream_unavailable',
  'upstream_timeout',
  'upstream_error',
  'invalid_model_output',
  'service_unavailable',
  'internal_error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorInit {
  code: ErrorCode;
  message: string;
  param?: string | null;
  /** Extra response headers (retry-after, x-ratelimit-*). */
  headers?: Record<string, string>;
}

export class PortalError extends Error {
  override name = 'PortalError';
  readonly code: ErrorCode;
  readonly param: string | null;
  readonly headers: Record<string, string>;
  constructor(init: ErrorInit) {
    super(init.message);
    this.code = init.code;
    this.param = init.param ?? null;
    this.headers = init.headers ?? {};
  }
  get status(): number {
    return describeCode(this.code).status;
  }
}

export interface CodeInfo {
  status: number;
  /** OpenAI-style error type. */
  type: string;
}

export function describeCode(code: ErrorCode): CodeInfo {
  switch (code) {
    case 'invalid_request_error':
    case 'invalid_json':
    case 'context_length_exceeded':
      return { status: 400, type: 'invalid_request_error' };
    case 'payload_too_large':
      return { status: 413, type: 'invalid_request_error' };
    case 'unsupported_media_type':
      return { status: 415, type: 'invalid_request_error' };
    case 'not_found':
    case 'model_not_found':
      return { status: 404, type: 'not_found_error' };
    case 'method_not_allowed':
      return { status: 405, type: 'invalid_request_error' };
    case 'unauthorized':
    case 'invalid_api_key':
    case 'key_revoked':
    case 'key_expired':
      return { status: 401, type: 'authentication_error' };
    case 'forbidden':
    case 'csrf_rejected':
    case 'key_disabled':
    case 'account_disabled':
    case 'model_not_allowed':
    case 'model_disabled':
      return { status: 403, type: 'permission_error' };
    case 'conflict':
    case 'key_limit_reached':
      return { status: 409, type: 'invalid_request_error' };
    case 'rate_limit_exceeded':
      return { status: 429, type: 'rate_limit_error' };
    case 'insufficient_quota':
      return { status: 429, type: 'insufficient_quota' };
    // invalid_model_output: the model's answer failed the request's JSON Schema, tool choice or strict
    // function twice (a repair attempt included) — a bad answer from upstream, not a bad request.
    case 'upstream_error':
    case 'invalid_model_output':
      return { status: 502, type: 'server_error' };
    case 'upstream_unavailable':
    case 'service_unavailable':
      return { status: 503, type: 'service_unavailable' };
    case 'upstream_timeout':
      return { status: 504, type: 'timeout_error' };
    case 'internal_error':
      return { status: 500, type: 'server_error' };
  }
}

export type ErrorFlavor = 'openai' | 'anthropic';

/** The JSON body of an error, in the flavor of the API that was called. */
export function errorBody(err: PortalError, flavor: ErrorFlavor): Record<string, unknown> {
  const info = describeCode(err.code);
  if (flavor === 'anthropic') {
    return { type: 'error', error: { type: anthropicType(info.status), message: err.message } };
  }
  return { error: { message: err.message, type: info.type, param: err.param, code: err.code } };
}

function anthropicType(status: number): string {
  switch (status) {
    case 400:
    case 405:
    case 409:
    case 415:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 503:
      return 'overloaded_error';
    default:
      return 'api_error';
  }
}

/** Any thrown value as a PortalError; unknown ones become a generic 500 that leaks nothing. */
export function toPortalError(err: unknown): PortalError {
  if (err instanceof PortalError) return err;
  return new PortalError({
    code: 'internal_error',
    message: 'Internal error. It has been logged; please retry.',
  });
}

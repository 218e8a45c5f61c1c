/**
 * The HTTP kernel every route runs inside: request id, body-size limit, access log and metrics, one error
 * renderer, and a 404 in the API's own shape. Built once by `installKernel(app, deps)`.
 */
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { accessLoggerOf, type Logger } from '../log.js';
import { httpRecorder, type Metrics } from '../metrics.js';
import { newId } from '../ids.js';
import type { AppEnv } from './context.js';
import { headerOf, nodeOf, setHeader } from './node-io.js';
import { createClientIp, type TrustProxy } from './client-ip.js';
import { PortalError, errorBody, toPortalError, type ErrorCode, type ErrorFlavor } from './errors.js';

/** Characters a client's request id may keep: printable ASCII; at most 128 of them. */
const NOT_PRINTABLE = /[^\x20-\x7e]/g;
const MAX_CLIENT_REQUEST_ID = 128;

/** The client's x-request-id, bounded and sanitised; undefined when nothing printable is left. */
export function clientRequestIdOf(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const clean = raw
    .slice(0, 4 * MAX_CLIENT_REQUEST_ID)
    .replace(NOT_PRINTABLE, '')
    .trim();
  return clean ? clean.slice(0, MAX_CLIENT_REQUEST_ID) : undefined;
}

/**
 * Set on every response before the route runs (on the Node response: no per-request Headers object). An API
 * answer may load nothing and be framed by no one; HTML answers replace the CSP with the dashboard's
 * (src/product/static.ts). HSTS is set elsewhere, only when the public origin is https.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
};

/** C0 controls and DEL, raw or percent-encoded, and C1 controls percent-encoded as UTF-8 (%C2%80–%C2%9F). */
// eslint-disable-next-line no-control-regex
const CONTROL_IN_URL = /[\u0000-\u001f\u007f]|%(?:[01][0-9a-f]|7f)|%c2%[89][0-9a-f]/i;

/** 400 for NUL or another control character anywhere in the path or query: no route, query or database needs
 * one, and PostgreSQL refuses NUL in text (it was a 500). Runs before any route. */
export function refuseControlCharacters(): MiddlewareHandler<AppEnv> {
  return async function refuseControlCharacters(c, next) {
    const url = nodeOf(c).incoming?.url ?? c.req.url;
    if (CONTROL_IN_URL.test(url))
      throw new PortalError({
        code: 'invalid_request_error',
        message: 'The path or query contains a control character (such as NUL); remove it.',
      });
    await next();
  };
}

export function requestContext(deps: {
  log: Logger;
  metrics: Metrics;
  trustProxy?: TrustProxy;
}): MiddlewareHandler<AppEnv> {
  const clientIp = createClientIp({ trustProxy: deps.trustProxy ?? false, log: deps.log });
  const access = accessLoggerOf(deps.log);
  const recordHttp = httpRecorder(deps.metrics);
  return async function requestContext(c, next) {
    // Portal's id is always its own (it keys the request log); the client's is kept beside it and echoed.
    const requestId = newId('req');
    const clientRequestId = clientRequestIdOf(headerOf(c, 'x-request-id'));
    const startedAt = performance.now();
    c.set('requestId', requestId);
    c.set('startedAt', startedAt);
    c.set('clientIp', clientIp(nodeOf(c).incoming?.socket.remoteAddress, headerOf(c, 'x-forwarded-for')));
    c.set(
      'errorFlavor',
      c.req.path.startsWith('/v1/messages') || headerOf(c, 'anthropic-version') ? 'anthropic' : 'openai',
    );
    c.set('routeLabel', 'unmatched');
    setHeader(c, 'x-request-id', requestId);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) setHeader(c, name, value);
    if (clientRequestId) {
      c.set('clientRequestId', clientRequestId);
      setHeader(c, 'x-client-request-id', clientRequestId);
    }
    await next();
    if (c.res.status >= 400 && c.req.method !== 'HEAD') shapeBareError(c);
    const route = c.get('routeLabel');
    const status = c.res.status;
    const seconds = (performance.now() - startedAt) / 1000;
    const method = c.req.method;
    // Metrics and the access log after the answer has been written, not before.
    setImmediate(() => {
      recordHttp(route, status, seconds);
      if (route !== '/healthz' && route !== '/metrics')
        access.info({ requestId, method, route, status, ms: Math.round(seconds * 1000) }, 'request');
    });
  };
}

/** An error answered without a JSON body (better-auth's empty 404 for an unknown /api/auth path, say) gets
 * the API's error shape; only error answers pay for the header read. */
function shapeBareError(c: Context<AppEnv>) {
  if (c.res.headers.get('content-type')?.includes('json')) return;
  const status = c.res.status;
  const code: ErrorCode =
    BARE_STATUS_CODES[status] ?? (status >= 500 ? 'internal_error' : 'invalid_request_error');
  c.res = undefined as unknown as Response; // replace, not merge: the old headers include its content-length
  c.res = errorResponse(
    c,
    new PortalError({ code, message: `${status} ${BARE_MESSAGES[code] ?? 'Request refused.'}` }),
  );
}

const BARE_STATUS_CODES: Record<number, ErrorCode> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limit_exceeded',
  503: 'service_unavailable',
};
const BARE_MESSAGES: Partial<Record<ErrorCode, string>> = {
  not_found: 'No such resource.',
  unauthorized: 'Sign in first.',
  forbidden: 'Not allowed.',
  rate_limit_exceeded: 'Too many requests; retry later.',
};

/** Names the route for metrics and logs; put it first on a route's handler list. */
export function routeLabel(label: string): MiddlewareHandler<AppEnv> {
  return async function setRouteLabel(c, next) {
    c.set('routeLabel', label);
    await next();
  };
}

/** A fixed limit, or one per request (the /v1 routes size theirs from the model catalog). */
export type BodyLimit = number | ((c: Context) => number);

export function limitBody(limit: BodyLimit): MiddlewareHandler<AppEnv> {
  const tooLarge = (maxBytes: number) => () => {
    throw new PortalError({
      code: 'payload_too_large',
      message: `Request body is larger than the ${Math.round(maxBytes / 1024)} KiB limit.`,
    });
  };
  const streamedBy = new Map<number, MiddlewareHandler>();
  const streamed = (maxBytes: number) => {
    let handler = streamedBy.get(maxBytes);
    if (!handler) {
      handler = bodyLimit({ maxSize: maxBytes, onError: tooLarge(maxBytes) });
      if (streamedBy.size > 16) streamedBy.clear();
      streamedBy.set(maxBytes, handler);
    }
    return handler;
  };
  return async function limitBody(c, next) {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') return next();
    const maxBytes = typeof limit === 'number' ? limit : limit(c);
    // A declared length is checked from the Node request itself, without building a web Request; Node's
    // parser never delivers more than the declared length. Chunked bodies are counted as they are read.
    const declared = headerOf(c, 'content-length');
    if (declared !== undefined && headerOf(c, 'transfer-encoding') === undefined)
      return Number(declared) > maxBytes ? tooLarge(maxBytes)() : next();
    return streamed(maxBytes)(c, next);
  };
}

/** Writes a PortalError as the response, in the route's flavor. */
export function errorResponse(c: Context<AppEnv>, err: PortalError, flavor?: ErrorFlavor): Response {
  for (const [name, value] of Object.entries(err.headers)) c.header(name, value);
  c.set('errorCode', err.code);
  return c.json(errorBody(err, flavor ?? c.get('errorFlavor') ?? 'openai'), err.status as 400);
}

export function installKernel(
  app: Hono<AppEnv>,
  deps: { log: Logger; metrics: Metrics; bodyLimitBytes: BodyLimit; trustProxy?: TrustProxy },
) {
  app.use('*', requestContext(deps));
  app.use('*', refuseControlCharacters());
  app.use('*', limitBody(deps.bodyLimitBytes));
  app.onError((err, c) => {
    const portalError = toPortalError(err);
    if (portalError.code === 'internal_error')
      deps.log.error({ requestId: c.get('requestId'), err }, 'unhandled error');
    return errorResponse(c, portalError);
  });
  app.notFound((c) =>
    errorResponse(
      c,
      new PortalError({ code: 'not_found', message: `No route for ${c.req.method} ${c.req.path}.` }),
    ),
  );
}

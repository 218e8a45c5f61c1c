/**
 * Typed requests for tests: a `Caller` sends JSON with one identity (an API key, the admin token, a session
 * cookie, or none) so cases never copy an auth header block. Replies are plain `Response`s whose `json()` is
 * typed by the route: `await (await t.as(key).post('/v1/chat/completions', body)).json()` is a ChatCompletion,
 * `json<ErrorBody>()` reads a refusal.
 */
import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { Message as AnthropicMessage } from '@anthropic-ai/sdk/resources/messages';
import type {
  Account,
  ApiKey,
  CreatedKey,
  KeyList,
  ModelList,
  PlanResponse,
  Usage,
} from '#src/contracts/product.js';
import type { ErrorBody } from '#src/contracts/errors.js';

export type { ErrorBody };
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** Success bodies of the routes tests read most; any other path reads as `unknown` (pass a type to json()). */
interface KnownRoutes {
  'POST /v1/chat/completions': ChatCompletion;
  'POST /v1/messages': AnthropicMessage;
  'GET /api/account': Account;
  'GET /api/models': ModelList;
  'POST /api/keys': CreatedKey;
  'GET /api/keys': KeyList;
  'GET /api/usage': Usage;
  'GET /api/plan': PlanResponse;
}

type WithoutQuery<P extends string> = P extends `${infer Path}?${string}` ? Path : P;
export type ResponseOf<
  M extends Method,
  P extends string,
> = `${M} ${WithoutQuery<P>}` extends keyof KnownRoutes
  ? KnownRoutes[`${M} ${WithoutQuery<P>}`]
  : WithoutQuery<P> extends `/api/keys/${string}`
    ? ApiKey
    : unknown;

/** A Response whose json() is typed; `json<Other>()` reads another shape (an error, a stream's frames …). */
export interface Reply<T = unknown> extends Response {
  json<U = T>(): Promise<U>;
}

export interface SendOptions {
  headers?: Record<string, string>;
  /** A raw body (sent as is); use the json argument of post/patch/put for JSON. */
  body?: BodyInit;
  signal?: AbortSignal;
}

export interface Caller {
  /** The identity headers this caller adds (authorization / cookie), for raw fetch or socket tests. */
  readonly headers: Record<string, string>;
  get<P extends string>(path: P, options?: SendOptions): Promise<Reply<ResponseOf<'GET', P>>>;
  delete<P extends string>(path: P, options?: SendOptions): Promise<Reply<ResponseOf<'DELETE', P>>>;
  post<P extends string>(
    path: P,
    json?: unknown,
    options?: SendOptions,
  ): Promise<Reply<ResponseOf<'POST', P>>>;
  patch<P extends string>(
    path: P,
    json?: unknown,
    options?: SendOptions,
  ): Promise<Reply<ResponseOf<'PATCH', P>>>;
  put<P extends string>(path: P, json?: unknown, options?: SendOptions): Promise<Reply<ResponseOf<'PUT', P>>>;
  request(method: Method | string, path: string, options?: SendOptions & { json?: unknown }): Promise<Reply>;
  /** This caller with more headers (e.g. `{ 'x-request-id': … }`); the identity headers stay. */
  with(headers: Record<string, string>): Caller;
  /** This caller with every path under `prefix` (`t.admin.under('/admin/api').get('/pools')`); untyped. */
  under(prefix: string): Caller;
}

/** Sends one request to the portal: over HTTP or in-process (see harness.ts for which). */
export type Transport = (path: string, init: RequestInit) => Promise<Response>;

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A caller over a transport. JSON bodies get their content type; a mutating `/api/*` or `/admin/api/*` request carries the
 * public Origin, as the dashboard's does (the CSRF guard refuses a foreign one, see src/platform/http/csrf.ts).
 */
export function createCaller(
  send: Transport,
  origin: string,
  identity: Record<string, string> = {},
  prefix = '',
): Caller {
  const request: Caller['request'] = (method, path, options = {}) => {
    const headers = new Headers({ ...identity, ...options.headers });
    let body = options.body;
    if (options.json !== undefined) {
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
      body = JSON.stringify(options.json);
    }
    const full = `${prefix}${path}`;
    if (!SAFE.has(method) && /^\/(admin\/)?api\//.test(full) && !headers.has('origin'))
      headers.set('origin', origin);
    return send(full, { method, headers, body, signal: options.signal }) as Promise<Reply>;
  };
  const withJson = (method: Method) => (path: string, json?: unknown, options?: SendOptions) =>
    request(method, path, { ...options, json });
  return {
    headers: identity,
    request,
    get: (path, options) => request('GET', path, options) as never,
    delete: (path, options) => request('DELETE', path, options) as never,
    post: withJson('POST') as Caller['post'],
    patch: withJson('PATCH') as Caller['patch'],
    put: withJson('PUT') as Caller['put'],
    with: (headers) => createCaller(send, origin, { ...identity, ...headers }, prefix),
    under: (more) => createCaller(send, origin, identity, `${prefix}${more}`),
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A refusal's status and error fields in one object, for `toMatchObject({ status: 403, code: … })`. */
export async function errorOf(res: Response): Promise<{ status: number } & ErrorBody['error']> {
  const body = (await res.json()) as ErrorBody;
  return { status: res.status, ...body.error };
}

/** The `name=value` pairs of a response's Set-Cookie headers (cleared ones dropped), ready for a Cookie header. */
export function sessionCookie(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .filter((c) => c !== '' && !c.endsWith('='))
    .join('; ');
}

/** The request body most gateway cases send: one short user message to a launch model. */
export function chatBody(overrides: Record<string, unknown> = {}) {
  return { model: 'oss-20b', messages: [{ role: 'user', content: 'hi' }], max_tokens: 8, ...overrides };
}

/**
 * The dashboard's one way to talk to the server: same-origin JSON with the session cookie, plus the
 * provider's session token as a bearer in Clerk / Supabase mode (asked for on every call, so the SDK's
 * refreshed token is the one sent). Errors from the product API ({error:{message,code,param}}) and from
 * better-auth ({code,message}) become one ApiError.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | null = null,
    readonly param: string | null = null,
  ) {
    super(message);
  }
}

type TokenSource = () => Promise<string | null>;
let bearer: TokenSource = async () => null;

/** Where /api/* calls get their bearer token (the signed-in provider's SDK); null sends none. */
export function setTokenSource(source: TokenSource) {
  bearer = source;
}

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  let res: Response;
  try {
    const headers: Record<string, string> =
      init.body === undefined ? {} : { 'content-type': 'application/json' };
    const token = path.startsWith('/api/auth/') ? null : await bearer();
    if (token) headers.authorization = `Bearer ${token}`;
    res = await fetch(path, {
      method: init.method ?? 'GET',
      credentials: 'same-origin',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    throw new ApiError(0, 'Cannot reach Portal. Check your connection and try again.');
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) throw toApiError(res.status, json);
  return json as T;
}

/** An error body of the product API, the /v1 API or better-auth as one ApiError. */
export function toApiError(status: number, json: unknown): ApiError {
  const body = (json ?? {}) as {
    error?: { message?: string; code?: string; param?: string | null };
    message?: string;
    code?: string;
  };
  if (body.error)
    return new ApiError(
      status,
      body.error.message ?? `Request failed (${status}).`,
      body.error.code,
      body.error.param,
    );
  const fallback =
    status === 429 ? 'Too many attempts. Wait a minute and try again.' : `Request failed (${status}).`;
  return new ApiError(status, body.message ?? fallback, body.code ?? null, null);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : 'Something went wrong.';
}

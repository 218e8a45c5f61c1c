/**
 * better-auth at /api/auth/*, behind Portal's own checks: the request must be addressed to the public
 * origin (a forged Host never reaches code that builds links), bodies follow Portal's input rules, every
 * password check (sign-in, change-password) is counted by the brute-force guard before it runs, session
 * tokens are taken out of JSON answers (they live only in the HttpOnly cookie), and better-auth's failures
 * are logged scrubbed, never printed.
 */
import type { Context, Hono } from 'hono';
import type { AppEnv } from '#src/platform/http/context.js';
import type { Logger } from '#src/platform/log.js';
import type { PublicOrigin } from '#src/platform/config/public-origin.js';
import { PortalError } from '#src/platform/http/errors.js';
import { routeLabel } from '#src/platform/http/kernel.js';
import type { LocalAuth } from './local-auth.js';
import type { AttemptGuard } from './brute-force.js';
import { checkAuthInput, checkRedirects } from './auth-input.js';
import { scrubError } from './auth-log.js';

export interface AuthMountDeps {
  auth: LocalAuth;
  guard: AttemptGuard;
  origin: PublicOrigin;
  /** Behind trusted proxies (server.trustProxy set): their X-Forwarded-Host names the host asked for. */
  trustProxy: boolean;
  log: Logger;
}

export function mountLocalAuth(app: Hono<AppEnv>, deps: AuthMountDeps) {
  app.on(['GET', 'POST'], '/api/auth/*', routeLabel('/api/auth/*'), async (c) => {
    const host = requestHost(c, deps.trustProxy);
    if (!deps.origin.allowsHost(host))
      throw new PortalError({
        code: 'invalid_request_error',
        param: 'host',
        message: `This server answers sign-in requests only at ${deps.origin.origin}.`,
      });
    await checkAuthInput(c.req.path, c.req.raw);
    await checkRedirects(c.req.raw, deps.origin);
    const ip = c.get('clientIp');
    const subject = await passwordCheckSubject(c, deps.auth);
    if (subject) {
      const decision = await deps.guard.begin(subject, ip);
      if (!decision.ok)
        throw new PortalError({
          code: 'rate_limit_exceeded',
          message:
            'Too many failed password attempts. Wait a few minutes and try again, or reset your password.',
          headers: { 'retry-after': String(Math.ceil(decision.retryAfterMs / 1000)) },
        });
    }
    const headers = new Headers(c.req.raw.headers);
    headers.set('x-portal-client-ip', ip);
    const res = await handle(deps, new Request(c.req.raw, { headers }));
    if (subject && res.ok) await deps.guard.succeeded(subject, ip);
    return withoutTokens(res);
  });
}

async function handle(deps: AuthMountDeps, request: Request): Promise<Response> {
  try {
    return await deps.auth.handler(request);
  } catch (err) {
    deps.log.error({ component: 'auth', error: scrubError(err) }, 'auth request failed');
    throw new PortalError({
      code: 'internal_error',
      message: 'Internal error. It has been logged; please retry.',
    });
  }
}

/**
 * Whose password this request checks: the email of a sign-in, the signed-in user of a password change
 * (by id), or null for requests that check none.
 */
async function passwordCheckSubject(c: Context<AppEnv>, auth: LocalAuth): Promise<string | null> {
  if (c.req.method !== 'POST') return null;
  if (c.req.path === '/api/auth/sign-in/email') {
    const body: unknown = await c.req.raw
      .clone()
      .json()
      .catch(() => null);
    const email = (body as { email?: unknown } | null)?.email;
    return typeof email === 'string' && email.trim() ? `email:${email.trim().toLowerCase()}` : null;
  }
  if (c.req.path === '/api/auth/change-password') {
    const session = await auth.api.getSession({ headers: c.req.raw.headers }).catch(() => null);
    return session ? `user:${session.user.id}` : null;
  }
  return null;
}

/** A JSON answer without session tokens (top level, `session.token`, and each listed session's). */
async function withoutTokens(res: Response): Promise<Response> {
  if (!(res.headers.get('content-type') ?? '').includes('application/json')) return res;
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return new Response(text, res);
  }
  const strip = (value: unknown) => {
    if (value && typeof value === 'object' && 'token' in value) delete (value as { token?: unknown }).token;
  };
  if (Array.isArray(body)) body.forEach(strip);
  else if (body && typeof body === 'object') {
    strip(body);
    strip((body as { session?: unknown }).session);
  }
  const headers = new Headers(res.headers);
  headers.delete('content-length');
  return new Response(JSON.stringify(body), { status: res.status, statusText: res.statusText, headers });
}

function requestHost(c: Context<AppEnv>, trustProxy: boolean): string | undefined {
  const forwarded = trustProxy ? c.req.header('x-forwarded-host')?.split(',')[0]?.trim() : undefined;
  return forwarded || c.req.header('host') || new URL(c.req.url).host;
}

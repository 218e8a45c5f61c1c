/**
 * Admin API authentication (docs/decisions/020-admins-as-people.md).
 *
 * `requireAdmin` — the admin token only: `Authorization: Bearer <PORTAL_ADMIN_TOKEN>` (CLI, operators'
 * scripts, Prometheus on /metrics). Compared in constant time. In front of the comparison: `admin.allowIps`
 * (403 from any other address) and a throttle of wrong tokens per client address (429 until the window
 * passes, the right token included). The token's strength is checked at config load.
 *
 * `adminGate` — /admin/api/*: the token as above, or the dashboard session of an admin (the session is
 * resolved exactly as /api/* resolves it, by a function the composition root hands in, since admin/ never
 * imports product/). Mutating session requests pass the same CSRF check as /api/*. A signed-in non-admin and
 * an anonymous caller get the unknown-route 404, so the admin API's existence is not revealed to them; a
 * wrong bearer token still gets 401 and counts toward the throttle.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from '../platform/http/context.js';
import { PortalError } from '../platform/http/errors.js';
import { blockListOf, isTrusted } from '../platform/http/client-ip.js';
import { dropOldest } from '../platform/bounded-map.js';
import { csrfGuard } from '../platform/http/csrf.js';
import type { PublicOrigin } from '../platform/config/public-origin.js';
import { isAdminUser, type AdminCandidate } from '../domain/admins.js';
import type { AdminEnv } from './context.js';
import { tokenActor } from './actor.js';

export interface AdminAuthOptions {
  token?: string;
  /** CIDRs the admin API answers from; absent: any address. */
  allowIps?: string[];
  /** Wrong tokens allowed per address per window (default 10 per 5 minutes). */
  maxFailures?: number;
  windowMs?: number;
  /** Addresses remembered at most (least recently seen forgotten first). */
  maxAddresses?: number;
}

/** The signed-in user of a request as /api/* resolves it (cookie, Clerk / Supabase bearer), or null. */
export type ResolveSessionUser = (
  req: Request,
  cookie: () => string | undefined,
) => Promise<(AdminCandidate & { id: string }) | null>;

export interface AdminGateOptions extends AdminAuthOptions {
  /** Emails of admins (config `admin.emails`); a user is also an admin when its stored `is_admin` is true. */
  emails?: readonly string[];
  /** Absent: only the token opens the admin API. */
  resolveUser?: ResolveSessionUser;
  /** The public origin, for the CSRF check of session-authenticated mutating requests. */
  origin: PublicOrigin;
}

/** The token check shared by /metrics, /readyz detail and the admin API gate (one wrong-token throttle). */
function createTokenCheck(options: AdminAuthOptions) {
  const expected = options.token ? digest(options.token) : undefined;
  const allowed = options.allowIps?.length ? blockListOf(options.allowIps) : undefined;
  const failures = createFailureCounter(options);
  return {
    configured: expected !== undefined,
    /** 403 from an address outside `allowIps`, 429 while the address is throttled. */
    admit(ip: string) {
      if (allowed && !isTrusted(allowed, ip))
        throw new PortalError({
          code: 'forbidden',
          message: 'The admin API is not available from this address.',
        });
      const wait = failures.blockedFor(ip);
      if (wait > 0)
        throw new PortalError({
          code: 'rate_limit_exceeded',
          message: 'Too many wrong admin tokens from this address. Wait and retry.',
          headers: { 'retry-after': String(Math.ceil(wait / 1000)) },
        });
    },
    /** The bearer presented, '' when none. */
    presented: (header: string | undefined) => (header?.startsWith('Bearer ') ? header.slice(7).trim() : ''),
    matches: (presented: string) =>
      expected !== undefined && presented !== '' && timingSafeEqual(digest(presented), expected),
    refuse(ip: string, presented: string): never {
      if (expected && presented) failures.record(ip);
      throw new PortalError({
        code: 'unauthorized',
        message: expected
          ? 'Admin token missing or wrong.'
          : 'The admin API is off: set PORTAL_ADMIN_TOKEN to enable it.',
      });
    },
  };
}

type TokenCheck = ReturnType<typeof createTokenCheck>;

/** Both guards over one token check: `token` for /metrics and /readyz, `api` for /admin/api/*. */
export function createAdminAuth(options: AdminGateOptions) {
  const check = createTokenCheck(options);
  return { token: tokenOnly(check), api: adminGate(check, options) };
}

/** The admin token only (kept for callers that build one guard). */
export function requireAdmin(options: AdminAuthOptions): MiddlewareHandler<AppEnv> {
  return tokenOnly(createTokenCheck(options));
}

function tokenOnly(check: TokenCheck): MiddlewareHandler<AppEnv> {
  return async function requireAdmin(c, next) {
    const ip = c.get('clientIp');
    check.admit(ip);
    const presented = check.presented(c.req.header('authorization'));
    if (!check.matches(presented)) check.refuse(ip, presented);
    await next();
  };
}

/** The unknown-route answer, word for word (platform/http/kernel.ts). */
function noRoute(c: Context): PortalError {
  return new PortalError({ code: 'not_found', message: `No route for ${c.req.method} ${c.req.path}.` });
}

function adminGate(check: TokenCheck, options: AdminGateOptions): MiddlewareHandler<AdminEnv> {
  const emails = options.emails ?? [];
  const csrf = csrfGuard({ origin: options.origin });
  async function sessionUser(c: Context) {
    if (!options.resolveUser) return null;
    try {
      return await options.resolveUser(c.req.raw, () => getCookie(c, '__session'));
    } catch (err) {
      // A refused provider sign-in (409) is not an admin session; anything else is a real failure.
      if (err instanceof PortalError) return null;
      throw err;
    }
  }
  return async function adminGate(c, next) {
    const ip = c.get('clientIp');
    check.admit(ip);
    const presented = check.presented(c.req.header('authorization'));
    if (check.matches(presented)) {
      c.set('actor', tokenActor(c.req.header('x-portal-actor')));
      return next();
    }
    const user = await sessionUser(c);
    if (user && isAdminUser(user, emails)) {
      c.set('actor', { kind: 'user', id: user.id });
      // The same cross-site refusal as /api/*, before anything runs.
      return csrf(c, next);
    }
    // A bearer that is neither the token nor an admin's session token: a wrong token (401, throttled).
    if (presented && !user) check.refuse(ip, presented);
    throw noRoute(c);
  };
}

/** Wrong tokens per address in a fixed window, in a Map kept in least-recently-seen order and bounded. */
function createFailureCounter(options: AdminAuthOptions) {
  const max = options.maxFailures ?? 10;
  const windowMs = options.windowMs ?? 5 * 60_000;
  const capacity = options.maxAddresses ?? 10_000;
  const seen = new Map<string, { count: number; until: number }>();
  return {
    blockedFor(ip: string, now = Date.now()): number {
      const entry = seen.get(ip);
      if (!entry) return 0;
      if (entry.until <= now) {
        seen.delete(ip);
        return 0;
      }
      return entry.count >= max ? entry.until - now : 0;
    },
    record(ip: string, now = Date.now()): void {
      const entry = seen.get(ip);
      seen.delete(ip);
      const next = entry && entry.until > now ? entry : { count: 0, until: now + windowMs };
      next.count++;
      seen.set(ip, next);
      dropOldest(seen, capacity);
    },
  };
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/**
 * The session middleware of the product API: resolves who is signed in (better-auth's session cookie, or a
 * Clerk / Supabase JWT), refuses signed-out (401) and disabled users (403), and sets `user`, `orgId` and
 * `role` for the routes. The organization is the user's personal one, created on first sight if missing;
 * members of a disabled organization get 403 `account_disabled`, as their keys do at the gateway.
 */
import { eq } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Db } from '#src/platform/store/db.js';
import type { Logger } from '#src/platform/log.js';
import { authSessions, users } from '#src/platform/store/schema.js';
import { PortalError } from '#src/platform/http/errors.js';
import type { ProductEnv } from '../context.js';
import type { Accounts } from '#src/domain/accounts.js';
import type { LocalAuth } from './local-auth.js';
import type { VerifyExternalToken } from './external-jwt.js';
import { findOrCreateExternalUser, type UserRow } from './external-users.js';

/** Finds the signed-in user of a request, or null. */
export type ResolveUser = (req: Request, cookies: () => string | undefined) => Promise<UserRow | null>;

/** better-auth's session cookie; a session older than `maxAgeDays` is ended however active it was. */
export function localUserResolver(auth: LocalAuth, db: Db, maxAgeDays: number): ResolveUser {
  const maxAgeMs = maxAgeDays * 24 * 3600 * 1000;
  return async function resolveLocalUser(req) {
    const session = await auth.api.getSession({ headers: req.headers });
    if (!session) return null;
    if (new Date(session.session.createdAt).getTime() + maxAgeMs < Date.now()) {
      await db.delete(authSessions).where(eq(authSessions.id, session.session.id));
      return null;
    }
    const rows = await db.select().from(users).where(eq(users.id, session.user.id)).limit(1);
    return rows[0] ?? null;
  };
}

/**
 * A Clerk / Supabase session JWT (bearer, else Clerk's `__session` cookie). A subject seen for the first time
 * becomes a user with a personal organization; an identity whose unverified email already belongs to another
 * Portal user is refused with 409 `conflict` (./external-users.ts).
 */
export function externalUserResolver(
  verify: VerifyExternalToken,
  db: Db,
  defaultPlanId: string,
  log?: Logger,
): ResolveUser {
  return async function resolveExternalUser(req, cookie) {
    const header = req.headers.get('authorization') ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : cookie();
    if (!token) return null;
    const who = await verify(token);
    if (!who) return null;
    const found = await findOrCreateExternalUser(db, who, defaultPlanId, log);
    if (found.ok) return found.user;
    log?.warn({ component: 'auth', provider: who.provider, reason: found.code }, 'provider sign-in refused');
    throw new PortalError({
      code: 'conflict',
      message:
        'An account with this email already exists, and your sign-in provider has not verified that the ' +
        'email is yours. Verify your email with the provider, then sign in again.',
    });
  };
}

export function requireSession(deps: {
  resolveUser: ResolveUser;
  accounts: Pick<Accounts, 'ensurePersonalOrg'>;
}): MiddlewareHandler<ProductEnv> {
  return async function requireSession(c, next) {
    if (c.req.path.startsWith('/api/auth/')) return next();
    const user = await deps.resolveUser(c.req.raw, () => getCookie(c, '__session'));
    if (!user) throw new PortalError({ code: 'unauthorized', message: 'Sign in to use this API.' });
    if (user.status !== 'active')
      throw new PortalError({ code: 'account_disabled', message: 'This account is disabled.' });
    // A user without an organization (a sign-up cut short after better-auth wrote the user) gets it now,
    // with the sign-up's audit row, in one transaction.
    const signedUp = { actor: { kind: 'user' as const, id: user.id }, action: 'user.signed_up' };
    const membership = await deps.accounts.ensurePersonalOrg(user, signedUp);
    if (membership.orgStatus !== 'active')
      throw new PortalError({
        code: 'account_disabled',
        message: 'This organization is disabled. Contact support to have it enabled again.',
      });
    c.set('user', { id: user.id, email: user.email, name: user.name, isAdmin: user.isAdmin });
    c.set('orgId', membership.orgId);
    c.set('role', membership.role);
    await next();
  };
}

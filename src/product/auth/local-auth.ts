/**
 * Built-in email + password auth (better-auth) over the store's own tables: `users`, `auth_sessions`,
 * `auth_accounts`, `auth_verifications`. Mounted at /api/auth/* (./mount.ts). Every URL it builds uses the
 * one public origin, never the request's Host; only that origin is trusted for redirects. Session cookies
 * are HttpOnly, SameSite=Lax, and Secure when the origin is https. Sign-up answers the same whether or not
 * the email is taken (no auto sign-in); with `requireEmailVerification` the address is verified by mail
 * before sign-in. Sessions slide (7 idle days) but are never refreshed past
 * `sessionMaxAgeDays` (./hashed-sessions.ts), and /api refuses older ones (./session.ts).
 */
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import type { Store } from '#src/platform/store/db.js';
import type { Logger } from '#src/platform/log.js';
import type { PublicOrigin } from '#src/platform/config/public-origin.js';
import { authAccounts, authSessions, authVerifications, users } from '#src/platform/store/schema.js';
import { newId } from '#src/platform/ids.js';
import { ensurePersonalOrg } from '#src/domain/accounts.js';
import type { Outbox } from './outbox.js';
import { createRateLimitStore } from './rate-limit-store.js';
import { authLogger } from './auth-log.js';
import { withHashedSessionTokens } from './hashed-sessions.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '#src/domain/password-rules.js';

export interface LocalAuthDeps {
  store: Store;
  log: Logger;
  outbox: Outbox;
  secret: string;
  defaultPlanId: string;
  origin: PublicOrigin;
  requireEmailVerification: boolean;
  sessionMaxAgeDays: number;
}

const ID_PREFIX: Record<string, string> = {
  user: 'usr',
  users: 'usr',
  session: 'ses',
  authSessions: 'ses',
  account: 'acc',
  authAccounts: 'acc',
  verification: 'ver',
  authVerifications: 'ver',
};

const DAY_S = 24 * 3600;

export type LocalAuth = ReturnType<typeof createLocalAuth>;

export function createLocalAuth(deps: LocalAuthDeps) {
  const { store, log, origin } = deps;
  return betterAuth({
    appName: 'Portal',
    basePath: '/api/auth',
    baseURL: origin.origin,
    secret: deps.secret,
    telemetry: { enabled: false },
    // Session rows hold only a hash of their token, so a session's token is never handed back by a
    // listing; revoking "all other sessions" is what change-password's revokeOtherSessions does instead.
    disabledPaths: ['/revoke-other-sessions'],
    logger: authLogger(log),
    // Errors are thrown to the mount, which logs them scrubbed; better-call would print them to stderr.
    onAPIError: { throw: true },
    database: withHashedSessionTokens(
      drizzleAdapter(store.db, {
        provider: 'pg',
        schema: { users, authSessions, authAccounts, authVerifications },
      }),
      deps.sessionMaxAgeDays * DAY_S * 1000,
    ),
    user: { modelName: 'users' },
    session: { modelName: 'authSessions', expiresIn: 7 * DAY_S, updateAge: DAY_S },
    account: { modelName: 'authAccounts' },
    // Reset and verification tokens are looked up by their SHA-256, never stored as they are mailed.
    verification: { modelName: 'authVerifications', storeIdentifier: 'hashed' },
    trustedOrigins: (request) => {
      const from = request?.headers.get('origin') ?? undefined;
      return from && from !== origin.origin && origin.trusts(from) ? [origin.origin, from] : [origin.origin];
    },
    emailAndPassword: {
      enabled: true,
      autoSignIn: false,
      requireEmailVerification: deps.requireEmailVerification,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
      revokeSessionsOnPasswordReset: true,
      resetPasswordTokenExpiresIn: 3600,
      sendResetPassword: async ({ user, url }) => {
        await deps.outbox.send({
          to: user.email,
          subject: 'Reset your Portal password',
          text: `Someone asked to reset the password of your Portal account.\n\nOpen this link within one hour to choose a new password:\n${url}\n\nIf it was not you, ignore this message.`,
        });
      },
    },
    emailVerification: {
      sendOnSignUp: deps.requireEmailVerification,
      expiresIn: DAY_S,
      sendVerificationEmail: async ({ user, url }) => {
        await deps.outbox.send({
          to: user.email,
          subject: 'Confirm your Portal email address',
          text: `Open this link within one day to confirm your email address and finish signing up:\n${url}\n\nIf you did not sign up for Portal, ignore this message.`,
        });
      },
    },
    rateLimit: {
      enabled: true,
      window: 60,
      max: 100,
      customStorage: createRateLimitStore(),
      // A flood limit per address; failed passwords are bounded by the password guard (./brute-force.ts).
      customRules: {
        '/sign-in/email': { window: 60, max: 60 },
        '/sign-up/email': { window: 60, max: 30 },
        '/request-password-reset': { window: 60, max: 5 },
      },
    },
    advanced: {
      useSecureCookies: origin.https,
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax', secure: origin.https },
      cookiePrefix: 'portal',
      // The mount sets x-portal-client-ip (socket address, or X-Forwarded-For behind a trusted proxy).
      ipAddress: { ipAddressHeaders: ['x-portal-client-ip'] },
      database: { generateId: ({ model }) => newId(ID_PREFIX[model] ?? 'id') },
    },
    databaseHooks: {
      user: {
        create: {
          // The organization and the audit row commit together, right after better-auth wrote the user (and
          // its credential). better-auth's own transaction is left off: it would hold a connection — on
          // PGlite the only one — across the password hash of an unauthenticated request (docs/decisions/014).
          after: async (user) => {
            const actor = { kind: 'user' as const, id: user.id };
            await ensurePersonalOrg(store.db, user, deps.defaultPlanId, { actor, action: 'user.signed_up' });
          },
        },
      },
    },
  });
}

/**
 * Built-in email + password auth (better-auth) over the store's own tables: `users`, `auth_sessions`,
 * `auth_accounts`, `auth_verifications`. Mounted at /api/auth/*. Session cookies are HttpOnly and SameSite=Lax,
 * Secure when the public URL is https. Sign-up creates the personal organization (see ../accounts).
 */
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import type { Store } from '../../platform/store/db.js';
import type { Logger } from '../../platform/log.js';
import { authAccounts, authSessions, authVerifications, users } from '../../platform/store/schema.js';
import { newId } from '../../platform/ids.js';
import { ensurePersonalOrg } from '../accounts/accounts.js';
import { recordAudit } from '../audit.js';
import type { Outbox } from './outbox.js';
import { createRateLimitStore } from './rate-limit-store.js';

export interface LocalAuthDeps {
  store: Store;
  log: Logger;
  outbox: Outbox;
  secret: string;
  defaultPlanId: string;
  /** Public base URL when configured (links in mails, cookie security); else taken from each request. */
  publicUrl?: string;
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

export type LocalAuth = ReturnType<typeof createLocalAuth>;

export function createLocalAuth(deps: LocalAuthDeps) {
  const { store, log } = deps;
  return betterAuth({
    appName: 'Portal',
    basePath: '/api/auth',
    ...(deps.publicUrl ? { baseURL: deps.publicUrl } : {}),
    secret: deps.secret,
    telemetry: { enabled: false },
    logger: {
      level: 'warn',
      log: (level, message) => log[level]({ component: 'auth' }, message),
    },
    database: drizzleAdapter(store.db, {
      provider: 'pg',
      schema: { users, authSessions, authAccounts, authVerifications },
    }),
    user: { modelName: 'users' },
    session: { modelName: 'authSessions', expiresIn: 7 * 24 * 3600, updateAge: 24 * 3600 },
    account: { modelName: 'authAccounts' },
    verification: { modelName: 'authVerifications' },
    // Same-origin requests only: the request's own origin, plus the configured public URL.
    trustedOrigins: (request) => [deps.publicUrl, request ? new URL(request.url).origin : undefined],
    emailAndPassword: {
      enabled: true,
      autoSignIn: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
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
    rateLimit: {
      enabled: true,
      window: 60,
      max: 100,
      customStorage: createRateLimitStore(),
      customRules: {
        '/sign-in/email': { window: 60, max: 20 },
        '/sign-up/email': { window: 60, max: 30 },
        '/request-password-reset': { window: 60, max: 5 },
      },
    },
    advanced: {
      useSecureCookies: deps.publicUrl?.startsWith('https://') ?? false,
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax' },
      cookiePrefix: 'portal',
      // The mount sets x-portal-client-ip (socket address, or X-Forwarded-For behind a trusted proxy).
      ipAddress: { ipAddressHeaders: ['x-portal-client-ip'] },
      database: { generateId: ({ model }) => newId(ID_PREFIX[model] ?? 'id') },
    },
    databaseHooks: {
      user: {
        create: {
          after: async (user) => {
            const membership = await ensurePersonalOrg(store.db, user, deps.defaultPlanId);
            await recordAudit(store.db, {
              actor: { kind: 'user', id: user.id },
              orgId: membership.orgId,
              action: 'user.signed_up',
              targetType: 'user',
              targetId: user.id,
            });
          },
        },
      },
    },
  });
}

/**
 * The product surface: sign-in (/api/auth/*), the signed-in account API (/api/*) and the dashboard (web/dist).
 * `createProduct(…)` builds the product's own parts (sign-in, outbox, password guard) once, called by the
 * composition root; the key service, accounts and plans are the shared ones of `src/domain`.
 * `registerProduct(app, services)` registers, in order:
 *   1. CSRF guard on every mutating /api route;
 *   2. better-auth at /api/auth/* behind the host check and the password guard (./auth/mount.ts; built-in
 *      auth only — Clerk / Supabase present their own JWTs);
 *   3. the /api sub-app behind the session middleware (401 when signed out), one file per route;
 *   4. the dashboard with SPA fallback for GETs no route answered.
 */
import type { Hono } from 'hono';
import { Hono as HonoApp } from 'hono';
import { connectRedis, redisTargetOf } from '#src/platform/redis/client.js';
import type { Services } from '../app.js';
import type { AppEnv } from '../platform/http/context.js';
import { resolvePublicOrigin } from '../platform/config/public-origin.js';
import { routeLabel } from '../platform/http/kernel.js';
import { fromRoot } from '../platform/paths.js';
import type { ProductEnv } from './context.js';
import type { PortalConfig } from '../platform/config/schema.js';
import type { Store } from '../platform/store/db.js';
import type { Logger } from '../platform/log.js';
import { createLocalAuth, type LocalAuth } from './auth/local-auth.js';
import { resolveAuthSecret } from './auth/secret.js';
import { createOutbox, type Outbox } from './auth/outbox.js';
import { createAttemptGuard, type AttemptGuard } from './auth/brute-force.js';
import { createRedisAttemptGuard } from './auth/brute-force-redis.js';
import { csrfGuard } from '#src/platform/http/csrf.js';
import { mountLocalAuth } from './auth/mount.js';
import { createExternalVerifier } from './auth/external-jwt.js';
import { providerCspSources, publicAuthConfig } from './auth/public-config.js';
import { externalUserResolver, localUserResolver, requireSession, type ResolveUser } from './auth/session.js';
import { serveDashboard } from './static.js';
import { registerCreateKey } from './routes/create-key.js';
import { registerListKeys } from './routes/list-keys.js';
import { registerGetKey } from './routes/get-key.js';
import { registerUpdateKey } from './routes/update-key.js';
import { registerRevokeKey } from './routes/revoke-key.js';
import { registerListModels } from './routes/list-models.js';
import { registerGetAccount } from './routes/get-account.js';
import { registerListRequests } from './routes/list-requests.js';
import { registerUsageRoutes } from './usage/route.js';
import { registerPlanRoutes } from './plan/route.js';
import { registerDocsRoute } from './docs/route.js';

export interface Product {
  /** Built-in auth; absent when Clerk or Supabase signs people in. */
  auth?: LocalAuth;
  outbox: Outbox;
  /** Password checks: 5 per (account, client address) then back-off, 50 per address per 15 minutes. */
  passwordGuard: AttemptGuard;
  resolveUser: ResolveUser;
}

export interface ProductParts {
  config: PortalConfig;
  store: Store;
  log: Logger;
  /** Connections the product opens (the shared password-attempt counters on Redis) close with these. */
  closers: Array<{ name: string; close: () => Promise<void> }>;
}

/** The product's own parts, built once by the composition root. */
export function createProduct({ config, store, log, closers }: ProductParts): Product {
  const outbox = createOutbox({ log, smtp: config.auth.smtp });
  const passwordGuard = passwordGuardFor(config, log, closers);
  if (config.auth.provider !== 'local') {
    const resolveUser = externalUserResolver(
      createExternalVerifier(config.auth, { log }),
      store.db,
      config.defaultPlan,
      log,
    );
    return { outbox, passwordGuard, resolveUser };
  }
  const auth = createLocalAuth({
    store,
    log,
    outbox,
    secret: resolveAuthSecret({ secret: config.auth.secret, dataDir: config.dataDir }),
    defaultPlanId: config.defaultPlan,
    origin: resolvePublicOrigin(config.server),
    requireEmailVerification: requiresEmailVerification(config),
    sessionMaxAgeDays: config.auth.sessionMaxAgeDays,
  });
  const resolveUser = localUserResolver(auth, store.db, config.auth.sessionMaxAgeDays);
  return { auth, outbox, passwordGuard, resolveUser };
}

export function registerProduct(app: Hono<AppEnv>, services: Services): void {
  const { config, store, product, keys } = services;
  const origin = resolvePublicOrigin(config.server);
  app.use('/api/*', csrfGuard({ origin }));
  // Public: which sign-in the dashboard should offer (built-in form, or the Clerk / Supabase session), and
  // whether a new account confirms its email before signing in.
  const emailVerification = requiresEmailVerification(config);
  const authConfig = publicAuthConfig(config.auth, emailVerification);
  app.get('/api/auth/provider', routeLabel('/api/auth/provider'), (c) => c.json(authConfig));
  registerDocsRoute(app, services);
  if (product.auth)
    mountLocalAuth(app, {
      auth: product.auth,
      guard: product.passwordGuard,
      origin,
      trustProxy: config.server.trustProxy !== false,
      log: services.log,
    });

  const api = new HonoApp<ProductEnv>();
  api.use('*', requireSession({ resolveUser: product.resolveUser, accounts: services.accounts }));
  registerGetAccount(api, { db: store.db, accounts: services.accounts, config });
  registerListModels(api, { db: store.db });
  registerCreateKey(api, { keys });
  registerListKeys(api, { keys });
  registerGetKey(api, { keys });
  registerUpdateKey(api, { keys });
  registerRevokeKey(api, { keys });
  registerUsageRoutes(api, { query: store.query, windows: (orgId) => services.gateway.windows(orgId) });
  registerListRequests(api, { db: store.db });
  registerPlanRoutes(api, { plans: services.plans, ledger: services.ledger, credits: services.credits });
  app.route('/api', api as unknown as Hono<AppEnv>);

  app.use(
    '*',
    serveDashboard({
      root: fromRoot('web/dist'),
      csp: providerCspSources(config.auth),
    }),
  );
}

/** New accounts confirm their address by mail: as configured, else whenever mail can be delivered. */
function requiresEmailVerification(config: PortalConfig): boolean {
  return config.auth.requireEmailVerification ?? Boolean(config.auth.smtp);
}

/** With Redis, every instance shares the password-attempt counters; else this instance keeps its own. */
function passwordGuardFor(config: PortalConfig, log: Logger, closers: ProductParts['closers']): AttemptGuard {
  const target = redisTargetOf(config.redis);
  if (!target) return createAttemptGuard();
  const redis = connectRedis(target, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
  });
  closers.push({ name: 'password-guard', close: async () => void redis.disconnect() });
  return createRedisAttemptGuard(redis, log);
}

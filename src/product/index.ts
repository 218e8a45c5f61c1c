/**
 * The product surface: sign-in (/api/auth/*), the signed-in account API (/api/*) and the dashboard (web/dist).
 * `registerProduct(app, services)` builds the product's parts once and registers, in order:
 *   1. CSRF guard on every mutating /api route;
 *   2. better-auth at /api/auth/* behind the host check and the password guard (./auth/mount.ts; built-in
 *      auth only — Clerk / Supabase present their own JWTs);
 *   3. the /api sub-app behind the session middleware (401 when signed out), one file per route;
 *   4. the dashboard with SPA fallback for GETs no route answered.
 */
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import { Hono as HonoApp } from 'hono';
import { Redis } from 'ioredis';
import type { Services } from '../app.js';
import type { AppEnv } from '../platform/http/context.js';
import { resolvePublicOrigin } from '../platform/config/public-origin.js';
import { routeLabel } from '../platform/http/kernel.js';
import type { ProductEnv } from './context.js';
import type { ProductDeps } from './deps.js';
import { createKeyService } from './keys/key-service.js';
import { externalKeysFor } from './keys/external-keys.js';
import { createLocalAuth, type LocalAuth } from './auth/local-auth.js';
import { resolveAuthSecret } from './auth/secret.js';
import { createOutbox, type Outbox } from './auth/outbox.js';
import { createAttemptGuard, type AttemptGuard } from './auth/brute-force.js';
import { createRedisAttemptGuard } from './auth/brute-force-redis.js';
import { csrfGuard } from './auth/csrf.js';
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
import { registerUsageRoutes } from './usage/route.js';
import { registerPlanRoutes } from './plan/route.js';

export interface Product extends ProductDeps {
  /** Built-in auth; absent when Clerk or Supabase signs people in. */
  auth?: LocalAuth;
  outbox: Outbox;
  /** Password checks: 5 per (account, client address) then back-off, 50 per address per 15 minutes. */
  passwordGuard: AttemptGuard;
  resolveUser: ResolveUser;
}

const built = new WeakMap<Services, Product>();

/** The product's parts for these services, built on first use (the admin API and the CLI endpoints share them). */
export function productFor(services: Services): Product {
  const existing = built.get(services);
  if (existing) return existing;
  const { config, store, log, bus } = services;
  const outbox = createOutbox({ log, smtp: config.auth.smtp });
  const origin = resolvePublicOrigin(config.server);
  const keys = createKeyService({
    store,
    bus,
    defaultPlanId: config.defaultPlan,
    external: externalKeysFor(config),
  });
  let auth: LocalAuth | undefined;
  let resolveUser: ResolveUser;
  if (config.auth.provider === 'local') {
    auth = createLocalAuth({
      store,
      log,
      outbox,
      secret: resolveAuthSecret({ secret: config.auth.secret, dataDir: config.dataDir }),
      defaultPlanId: config.defaultPlan,
      origin,
      requireEmailVerification: requiresEmailVerification(config),
      sessionMaxAgeDays: config.auth.sessionMaxAgeDays,
    });
    resolveUser = localUserResolver(auth, store.db, config.auth.sessionMaxAgeDays);
  } else resolveUser = externalUserResolver(createExternalVerifier(config.auth, { log }), store.db, log);
  const product: Product = {
    services,
    keys,
    auth,
    outbox,
    resolveUser,
    passwordGuard: passwordGuardFor(services),
  };
  built.set(services, product);
  return product;
}

export function registerProduct(app: Hono<AppEnv>, services: Services): Product {
  const product = productFor(services);
  const { config, store } = services;
  const origin = resolvePublicOrigin(config.server);
  app.use('/api/*', csrfGuard({ origin }));
  // Public: which sign-in the dashboard should offer (built-in form, or the Clerk / Supabase session), and
  // whether a new account confirms its email before signing in.
  const emailVerification = requiresEmailVerification(config);
  const authConfig = publicAuthConfig(config.auth, emailVerification);
  app.get('/api/auth/provider', routeLabel('/api/auth/provider'), (c) => c.json(authConfig));
  if (product.auth)
    mountLocalAuth(app, {
      auth: product.auth,
      guard: product.passwordGuard,
      origin,
      trustProxy: config.server.trustProxy !== false,
      log: services.log,
    });

  const api = new HonoApp<ProductEnv>();
  api.use(
    '*',
    requireSession({ resolveUser: product.resolveUser, db: store.db, defaultPlanId: config.defaultPlan }),
  );
  registerGetAccount(api, product);
  registerListModels(api, product);
  registerCreateKey(api, product);
  registerListKeys(api, product);
  registerGetKey(api, product);
  registerUpdateKey(api, product);
  registerRevokeKey(api, product);
  // ── metering engineer: usage and plan routes go here ─────────────────────────────────────────────────
  registerUsageRoutes(api, services);
  registerPlanRoutes(api, services);
  // ─────────────────────────────────────────────────────────────────────────────────────────────────────
  app.route('/api', api as unknown as Hono<AppEnv>);

  app.use(
    '*',
    serveDashboard({
      root: fileURLToPath(new URL('../../web/dist', import.meta.url)),
      csp: providerCspSources(config.auth),
    }),
  );
  return product;
}

/** New accounts confirm their address by mail: as configured, else whenever mail can be delivered. */
function requiresEmailVerification(config: Services['config']): boolean {
  return config.auth.requireEmailVerification ?? Boolean(config.auth.smtp);
}

/** With Redis, every instance shares the password-attempt counters; else this instance keeps its own. */
function passwordGuardFor(services: Services): AttemptGuard {
  const url = services.config.redis.url;
  if (!url) return createAttemptGuard();
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: true });
  services.closers.push({ name: 'password-guard', close: async () => void redis.disconnect() });
  return createRedisAttemptGuard(redis, services.log);
}

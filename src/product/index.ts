/**
 * The product surface: sign-in (/api/auth/*), the signed-in account API (/api/*) and the dashboard (web/dist).
 * `registerProduct(app, services)` builds the product's parts once and registers, in order:
 *   1. CSRF guard on every mutating /api route; brute-force guard on password sign-in;
 *   2. better-auth at /api/auth/* (built-in auth only; Clerk / Supabase present their own JWTs);
 *   3. the /api sub-app behind the session middleware (401 when signed out), one file per route;
 *   4. the dashboard with SPA fallback for GETs no route answered.
 */
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import { Hono as HonoApp } from 'hono';
import type { Services } from '../app.js';
import type { AppEnv } from '../platform/http/context.js';
import { PortalError } from '../platform/http/errors.js';
import { routeLabel } from '../platform/http/kernel.js';
import type { ProductEnv } from './context.js';
import type { ProductDeps } from './deps.js';
import { createKeyService } from './keys/key-service.js';
import { externalKeysFor } from './keys/external-keys.js';
import { createLocalAuth, type LocalAuth } from './auth/local-auth.js';
import { resolveAuthSecret } from './auth/secret.js';
import { createOutbox, type Outbox } from './auth/outbox.js';
import { createAttemptGuard, type AttemptGuard } from './auth/brute-force.js';
import { csrfGuard } from './auth/csrf.js';
import { checkAuthInput } from './auth/auth-input.js';
import { createExternalVerifier } from './auth/external-jwt.js';
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
  /** Failed password sign-ins: 5 per email, 50 per client address, per 15 minutes. */
  signInGuards: { email: AttemptGuard; ip: AttemptGuard };
  resolveUser: ResolveUser;
}

const built = new WeakMap<Services, Product>();

/** The product's parts for these services, built on first use (the admin API and the CLI endpoints share them). */
export function productFor(services: Services): Product {
  const existing = built.get(services);
  if (existing) return existing;
  const { config, store, log, bus } = services;
  const outbox = createOutbox({ log, smtp: config.auth.smtp });
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
      publicUrl: config.server.publicUrl,
    });
    resolveUser = localUserResolver(auth, store.db);
  } else resolveUser = externalUserResolver(createExternalVerifier(config.auth), store.db);
  const product: Product = {
    services,
    keys,
    auth,
    outbox,
    resolveUser,
    signInGuards: {
      email: createAttemptGuard({ maxFailures: 5, windowMs: 15 * 60_000 }),
      ip: createAttemptGuard({ maxFailures: 50, windowMs: 15 * 60_000 }),
    },
  };
  built.set(services, product);
  return product;
}

export function registerProduct(app: Hono<AppEnv>, services: Services): Product {
  const product = productFor(services);
  const { config, store } = services;
  app.use(
    '/api/*',
    csrfGuard({ publicUrl: config.server.publicUrl, trustProxy: config.server.trustProxy !== false }),
  );
  // Public: which sign-in the dashboard should offer (built-in form, or the Clerk / Supabase session).
  app.get('/api/auth/provider', routeLabel('/api/auth/provider'), (c) =>
    c.json({ provider: config.auth.provider }),
  );
  if (product.auth) mountLocalAuth(app, product.auth, product.signInGuards);

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

  app.use('*', serveDashboard({ root: fileURLToPath(new URL('../../web/dist', import.meta.url)) }));
  return product;
}

/** better-auth at /api/auth/*, with the client address it rate-limits on and the sign-in brute-force guard. */
function mountLocalAuth(app: Hono<AppEnv>, auth: LocalAuth, guards: Product['signInGuards']) {
  app.on(['GET', 'POST'], '/api/auth/*', routeLabel('/api/auth/*'), async (c) => {
    const ip = c.get('clientIp');
    const headers = new Headers(c.req.raw.headers);
    headers.set('x-portal-client-ip', ip);
    await checkAuthInput(c.req.path, c.req.raw);
    const isSignIn = c.req.method === 'POST' && c.req.path === '/api/auth/sign-in/email';
    let email = '';
    if (isSignIn) {
      email = await c.req.raw
        .clone()
        .json()
        .then((b: unknown) => {
          const value = (b as { email?: unknown } | null)?.email;
          return typeof value === 'string' ? value.trim().toLowerCase() : '';
        })
        .catch(() => '');
      const wait = Math.max(guards.ip.blockedFor([ip]), email ? guards.email.blockedFor([email]) : 0);
      if (wait > 0)
        throw new PortalError({
          code: 'rate_limit_exceeded',
          message:
            'Too many failed sign-in attempts. Wait a few minutes and try again, or reset your password.',
          headers: { 'retry-after': String(Math.ceil(wait / 1000)) },
        });
    }
    const res = await auth.handler(new Request(c.req.raw, { headers }));
    if (isSignIn && res.status === 401) {
      guards.ip.recordFailure([ip]);
      if (email) guards.email.recordFailure([email]);
    } else if (isSignIn && res.ok && email) guards.email.clear(email);
    return res;
  });
}

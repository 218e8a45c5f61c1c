/**
 * The composition root: builds every service once (store, bus, limiter, metering, inference, the account
 * domain's key service, accounts, plans and ledger, the product's sign-in) and the one Hono app that serves
 * the dashboard, the account and admin APIs and the /v1 gateway. Nothing below this file opens a connection
 * on its own, and each route is given only the services it uses.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import type { PortalConfig } from './platform/config/schema.js';
import { createLogger, type Logger } from './platform/log.js';
import { createMetrics, registerStateGauges, type Metrics } from './platform/metrics.js';
import { openStore, type Store } from './platform/store/db.js';
import { migrateVia, isMigrated } from './platform/store/migrate.js';
import { seedCatalog } from './platform/store/seed.js';
import { createBus } from './platform/bus/index.js';
import type { Bus } from './platform/bus/types.js';
import { createLimiter } from './platform/limiter/index.js';
import type { Limiter } from './platform/limiter/types.js';
import { connectRedis, redisTargetOf, type RedisClient, type RedisTarget } from './platform/redis/client.js';
import type { AppEnv } from './platform/http/context.js';
import { installKernel, routeLabel } from './platform/http/kernel.js';
import { hsts } from './platform/http/hsts.js';
import { resolvePublicOrigin } from './platform/config/public-origin.js';
import { registerAdmin } from './admin/index.js';
import { createAdminAuth } from './admin/auth.js';
import { createProduct, registerProduct, type Product } from './product/index.js';
import { registerOpenApi } from './product/openapi/route.js';
import { createDomain, type Domain } from './domain/services.js';
import { createMetering } from './platform/metering/metering.js';
import type { Metering } from './platform/metering/types.js';
import { createCredits, type CreditsGuard } from './platform/billing/credits.js';
import { createCatalog, type Catalog } from './inference/catalog.js';
import { createInference, type InferenceService } from './inference/inference.js';
import { createGatewayService, type GatewayService } from './gateway/service.js';
import { createCreditsMirror, type CreditsMirror } from './domain/keys/credits-mirror.js';
import { unkeyClientFromConfig } from './platform/unkey/client.js';
import { issuedKeys } from './domain/keys/key-rows.js';

/** Everything built once per process; `keys`, `accounts`, `plans`, `ledger` come from src/domain. */
export interface Services extends Domain {
  config: PortalConfig;
  log: Logger;
  metrics: Metrics;
  store: Store;
  bus: Bus;
  /** Sliding-window limits: Redis (shared by all instances) with REDIS_URL, else in memory. */
  limiter: Limiter;
  /** Usage events and request logs: queued, batched, spooled to disk when the store is away. */
  metering: Metering;
  /** Prepaid-credit reservations for organizations on a credits plan. */
  credits: CreditsGuard;
  /** Product models by id or alias, cached in memory (reloaded on `model.changed`). */
  catalog: Catalog;
  /** Pools, routers, health and upstream adapters (the demo simulator when no pool is configured). */
  inference: InferenceService;
  /** The /v1 gateway: key cache, policy cache, limits, routes; `windows(orgId)` for the usage views. */
  gateway: GatewayService;
  /** Sign-in (built-in or Clerk / Supabase), the mail outbox and the password guard of /api/auth. */
  product: Product;
  /** Closed in reverse order on shutdown (after in-flight requests finished). */
  closers: Array<{ name: string; close: () => Promise<void> }>;
}

export interface ServiceOptions {
  log?: Logger;
  /** Use this store instead of opening one (tests share one PGlite per worker). */
  store?: Store;
  /** The usage spool's directory (default `<dataDir>/spool`; each `--workers` worker needs its own). */
  spoolDir?: string;
}

export async function createServices(config: PortalConfig, options: ServiceOptions = {}): Promise<Services> {
  const log = options.log ?? createLogger();
  const metrics = createMetrics();
  const store =
    options.store ?? (await openStore({ databaseUrl: config.database.url, dataDir: config.dataDir }));
  const closers: Services['closers'] = [];
  if (!options.store) closers.push({ name: 'store', close: () => store.close() });
  try {
    const migrated = await migrateVia(store, config.database.directUrl);
    if (migrated.applied.length) log.info({ applied: migrated.applied }, 'migrations applied');
    await seedCatalog(store, config);
  } catch (err) {
    await Promise.allSettled(closers.map((c) => c.close()));
    throw err;
  }
  const bus = await createBus({ config, log });
  closers.push({ name: 'bus', close: () => bus.close() });
  const limiter = await createLimiter({ config, log, metrics });
  closers.push({ name: 'limiter', close: () => limiter.close() });
  // Closed before the store (closers run in reverse): everything queued is written or spooled first.
  const metering = createMetering({
    store,
    log,
    registry: metrics.registry,
    spoolDir: options.spoolDir ?? `${config.dataDir}/spool`,
    ...config.metering,
  });
  closers.push({ name: 'metering', close: () => metering.close() });
  const redisTarget = redisTargetOf(config.redis);
  const credits = createCredits({
    store,
    redis: redisTarget ? creditsRedis(redisTarget) : undefined,
  });
  closers.push({ name: 'credits', close: () => credits.close() });
  const catalog = await createCatalog({ store, bus, log });
  closers.push({ name: 'catalog', close: async () => catalog.close() });
  const inference = await createInference({ config, store, bus, log, metrics });
  closers.push({ name: 'inference', close: () => inference.close() });
  // Reads the pool through the gateway built next (its timer first fires an interval later).
  const creditsMirror = unkeyCreditsMirror(config, store, log, (orgId) => gateway.creditsPool(orgId));
  const gateway = createGatewayService({
    config,
    log,
    store,
    bus,
    limiter,
    catalog,
    inference,
    metering: creditsMirror ? touchingOnUsage(metering, creditsMirror) : metering,
    credits,
    registry: metrics.registry,
  });
  closers.push({ name: 'gateway', close: () => gateway.close() });
  // Closed before the gateway and the limiter it reads through (closers run in reverse).
  if (creditsMirror) closers.push({ name: 'unkey credits mirror', close: () => creditsMirror.close() });
  registerStateGauges(metrics, { keyCache: () => gateway.keys.stats(), bus: () => bus.status() });
  const domain = createDomain({ config, store, bus, credits, creditsMirror });
  const product = createProduct({ config, store, log, closers });
  log.info({ store: store.description, bus: bus.kind }, 'services ready');
  return {
    config,
    log,
    metrics,
    store,
    bus,
    limiter,
    metering,
    credits,
    catalog,
    inference,
    gateway,
    ...domain,
    product,
    closers,
  };
}

export function createApp(services: Services): Hono<AppEnv> {
  const { config, log, metrics } = services;
  const app = new Hono<AppEnv>();
  // /v1 bodies are sized to the largest context window (docs/decisions/009); other routes use the config's.
  const gateway = services.gateway.gateway;
  installKernel(app, {
    log,
    metrics,
    bodyLimitBytes: (c) =>
      c.req.path.startsWith('/v1/') ? gateway.bodyLimitBytes() : config.server.bodyLimitBytes,
    trustProxy: config.server.trustProxy,
  });
  if (resolvePublicOrigin(config.server).https) app.use('*', hsts());
  // One admin token check per app: its throttle of wrong tokens covers /metrics, /readyz and /admin/api.
  // /admin/api also opens to an admin's dashboard session, resolved as /api/* resolves it.
  const adminAuth = createAdminAuth({
    ...config.admin,
    origin: resolvePublicOrigin(config.server),
    resolveUser: services.product.resolveUser,
  });
  registerHealth(app, services, adminAuth.token);
  app.route('/v1', services.gateway.v1);
  registerAdmin(app, services, adminAuth.api);
  registerOpenApi(app, { publicUrl: config.server.publicUrl });
  registerProduct(app, services);
  return app;
}

/**
 * The ops listener (`server.opsPort`, bound to `server.opsHost`): /healthz, /readyz with its detail and
 * /metrics, for the monitoring network only. Nothing else is served on it.
 */
export function createOpsApp(services: Services): Hono<AppEnv> {
  const { config, log, metrics } = services;
  const app = new Hono<AppEnv>();
  installKernel(app, { log, metrics, bodyLimitBytes: 1024, trustProxy: config.server.trustProxy });
  const ready = readiness(services);
  app.get('/healthz', routeLabel('/healthz'), (c) => c.json({ status: 'ok' }));
  app.get('/readyz', routeLabel('/readyz'), async (c) => {
    const { body, status } = await ready();
    return c.json(body, status);
  });
  app.get('/metrics', routeLabel('/metrics'), async (c) => {
    c.header('content-type', metrics.registry.contentType);
    return c.body(await metrics.registry.metrics());
  });
  return app;
}

/**
 * Health on the main port. /healthz is public. /readyz answers its status (200 or 503) to anyone — load
 * balancers need it — and the per-check detail only to the admin token when there is no ops listener.
 * /metrics needs the admin token, and is not served here at all when an ops listener is configured.
 */
function registerHealth(app: Hono<AppEnv>, services: Services, guard: MiddlewareHandler<AppEnv>) {
  const ready = readiness(services);
  const opsListener = services.config.server.opsPort !== undefined;
  app.get('/healthz', routeLabel('/healthz'), (c) => c.json({ status: 'ok' }));
  app.get('/readyz', routeLabel('/readyz'), async (c, next) => {
    if (!opsListener && c.req.header('authorization')) return next();
    const { body, status } = await ready();
    return c.json({ status: body.status }, status);
  });
  if (opsListener) return;
  app.get('/readyz', guard, async (c) => {
    const { body, status } = await ready();
    return c.json(body, status);
  });
  app.get('/metrics', routeLabel('/metrics'), guard, async (c) => {
    c.header('content-type', services.metrics.registry.contentType);
    return c.body(await services.metrics.registry.metrics());
  });
}

type Check = { state: string; detail?: string };

function readiness(services: Services) {
  let migrated = false;
  return async function ready(): Promise<{
    body: { status: string; checks: Record<string, Check> };
    status: 200 | 503;
  }> {
    const checks: Record<string, Check> = {};
    try {
      await services.store.ping();
      migrated ||= await isMigrated(services.store);
      checks.store = migrated ? { state: 'ok' } : { state: 'down', detail: 'migrations not applied' };
    } catch {
      checks.store = { state: 'down', detail: 'store unreachable' };
    }
    checks.bus = services.bus.status();
    checks.limiter = services.limiter.status();
    const metering = services.metering.stats?.();
    if (metering)
      checks.metering =
        metering.state === 'spooling'
          ? {
              state: 'degraded',
              detail: `store unreachable: usage is spooled to disk (${metering.spoolBytes} bytes)`,
            }
          : { state: 'ok' };
    const demo = services.inference.demo();
    if (demo)
      checks.inference = {
        state: 'ok',
        detail: 'demo pools: answers come from the built-in router simulator',
      };
    const down = Object.values(checks).some((x) => x.state === 'down');
    const degraded = Object.values(checks).some((x) => x.state === 'degraded');
    return {
      body: { status: down ? 'unavailable' : degraded ? 'degraded' : 'ready', checks },
      status: down ? 503 : 200,
    };
  };
}

/** With keys on Unkey (and the mirror on): each key's Unkey credits show its organization's pool. */
function unkeyCreditsMirror(
  config: PortalConfig,
  store: Store,
  log: Logger,
  pool: Parameters<typeof createCreditsMirror>[0]['pool'],
): CreditsMirror | undefined {
  const unkey = config.keys.provider === 'unkey' ? config.keys.unkey : undefined;
  if (!unkey?.creditsMirror.enabled) return undefined;
  return createCreditsMirror({
    unkey: unkeyClientFromConfig(unkey),
    log,
    pool,
    ...unkey.creditsMirror,
    keysOf: async (orgId) => (await issuedKeys(store.db, orgId)).map((k) => k.externalId),
  });
}

/** Every usage event also marks its organization for the mirror (a Set add; the write is batched). */
function touchingOnUsage(metering: Metering, mirror: Pick<CreditsMirror, 'touch'>): Metering {
  return {
    recordUsage(event) {
      metering.recordUsage(event);
      mirror.touch(event.orgId);
    },
    recordRequest: (log) => metering.recordRequest(log),
    flush: () => metering.flush(),
    close: () => metering.close(),
    ...(metering.stats ? { stats: metering.stats.bind(metering) } : {}),
  };
}

/** The credits counter's connection; its errors surface as 503s on credits calls, not as stderr noise. */
export function creditsRedis(target: RedisTarget): RedisClient {
  return connectRedis(target, { lazyConnect: true, maxRetriesPerRequest: 2, enableAutoPipelining: true });
}

/**
 * Builds the gateway once from the services: key verifier, policy cache, the domain core and the /v1 app.
 * `windows(orgId)` serves the usage views; `close()` flushes batched last-used times.
 */
import { randomBytes } from 'node:crypto';
import type { Hono } from 'hono';
import type { PortalConfig } from '../platform/config/schema.js';
import type { Bus } from '../platform/bus/types.js';
import type { Credits } from '../platform/billing/types.js';
import type { Limiter } from '../platform/limiter/types.js';
import type { Logger } from '../platform/log.js';
import type { Metering } from '../platform/metering/types.js';
import type { Store } from '../platform/store/db.js';
import type { Inference } from '../inference/types.js';
import type { GatewayEnv } from './context.js';
import { createGateway, type Gateway, type ModelCatalog } from './gateway.js';
import { createV1App } from './index.js';
import { createKeyVerifier, type KeyVerifier } from './keys/verify.js';
import { createUnkeyKeyVerifier } from './keys/unkey-verifier.js';
import { unkeyClientFromConfig } from '../platform/unkey/client.js';
import { createPolicyCache } from './policy.js';
import { createAuthGuard } from './auth-guard.js';
import client from 'prom-client';
import { orgWindows, type UsageWindow } from './windows.js';
import { creditsPool, type CreditsPool } from './credits-pool.js';
import { createRequestMetrics } from './request-metrics.js';

export interface GatewayService {
  gateway: Gateway;
  keys: KeyVerifier;
  v1: Hono<GatewayEnv>;
  windows(orgId: string): Promise<UsageWindow[]>;
  /** The organization's balance or monthly tokens left (null: unlimited); undefined: no such organization. */
  creditsPool(orgId: string): Promise<CreditsPool | undefined>;
  close(): Promise<void>;
}

export interface GatewayServiceDeps {
  config: PortalConfig;
  log: Logger;
  store: Store;
  bus: Bus;
  limiter: Limiter;
  catalog: ModelCatalog;
  inference: Inference;
  metering: Metering;
  credits?: Credits;
  /** Where the gateway's own counters go (failed authentications). */
  registry?: client.Registry;
}

export function createGatewayService(deps: GatewayServiceDeps): GatewayService {
  const { config } = deps;
  const keyCache = {
    store: deps.store,
    bus: deps.bus,
    log: deps.log,
    ttlMs: config.gateway.keyCacheTtlMs,
    negativeTtlMs: config.gateway.negativeKeyCacheTtlMs,
    negativeMaxEntries: config.gateway.negativeKeyCacheMaxEntries,
  };
  const unkey = config.keys.provider === 'unkey' ? config.keys.unkey : undefined;
  const keys = unkey
    ? createUnkeyKeyVerifier({ ...keyCache, unkey: unkeyClientFromConfig(unkey), prefix: unkey.prefix })
    : createKeyVerifier(keyCache);
  const policies = createPolicyCache({
    store: deps.store,
    bus: deps.bus,
    defaultPlanId: config.defaultPlan,
    ttlMs: config.gateway.keyCacheTtlMs,
  });
  const authGuard = createAuthGuard({
    limiter: deps.limiter,
    limit: config.gateway.authFailureLimit,
    windowMs: config.gateway.authFailureWindowMs,
  });
  const gateway = createGateway({
    ...deps,
    keys,
    policies,
    authGuard,
    requestTimeoutMs: config.gateway.requestTimeoutMs,
    rateWindowMs: config.gateway.rateWindowMs,
    promptCharsPerToken: config.gateway.promptCharsPerToken,
  });
  const v1 = createV1App({
    gateway,
    inference: deps.inference,
    metering: deps.metering,
    keepAliveMs: config.gateway.firstTokenKeepAliveMs,
    // Client IPs are hashed with a per-process salt: logs can group one client, never recover an address.
    ipSalt: randomBytes(16).toString('hex'),
    authFailures: deps.registry
      ? new client.Counter({
          name: 'portal_gateway_auth_failures_total',
          help: 'Requests to /v1 refused at authentication, by error code (they write no request log)',
          labelNames: ['code'],
          registers: [deps.registry],
        })
      : undefined,
    requestMetrics: deps.registry ? createRequestMetrics(deps.registry, deps.catalog) : undefined,
  });
  return {
    gateway,
    keys,
    v1,
    windows: (orgId) =>
      orgWindows(
        { store: deps.store, policies, limiter: deps.limiter, rateWindowMs: config.gateway.rateWindowMs },
        orgId,
      ),
    creditsPool: (orgId) => creditsPool({ policies, limiter: deps.limiter, credits: deps.credits }, orgId),
    async close() {
      policies.close();
      await keys.close();
    },
  };
}

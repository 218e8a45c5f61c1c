/**
 * The admin API's responses (`/admin/api/*`) and its route table (`adminRoutes`): one strict schema per
 * answer, walked by the admin contract test against the routes the app registers and used by the OpenAPI
 * document. Some answers are store rows as drizzle returns them (camelCase fields: request logs, models):
 * the schemas describe what the wire carries today, not a wished-for shape. Imports only zod.
 */
import { z } from 'zod';
import { isoTime, count, listOf } from './primitives.js';
import {
  adminCreateKeyBody,
  changePlanBody,
  createUserBody,
  disableOrgBody,
  ledgerEntryBody,
  poolStateBody,
  requestLogQuery,
} from './admin.js';
import { apiKey, createdKey, ledgerEntry, planInfo, usageWindow, type RouteContract } from './product.js';

/** A user as the admin API shows it. */
export const adminUser = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    is_admin: z.boolean(),
    status: z.enum(['active', 'disabled']),
    auth_provider: z.enum(['local', 'clerk', 'supabase']),
    created_at: isoTime,
  })
  .strict();

/** POST /admin/api/users (201) */
export const createdUser = z
  .object({ id: z.string(), email: z.string(), is_admin: z.boolean(), org_id: z.string() })
  .strict();

export const adminUserList = listOf(adminUser);

/** POST /admin/api/keys (201): the key view, the full key (this response only) and the owning organization. */
export const adminCreatedKey = createdKey.extend({ org_id: z.string() }).strict();

export const adminKeyList = listOf(apiKey, { org_id: z.string() });

export const adminOrg = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(['active', 'disabled']),
    disabled_reason: z.string().nullable(),
    created_at: isoTime,
  })
  .strict();

/** GET /admin/api/metering: the usage writer's numbers, or `{ state: 'unknown' }` when it reports none. */
export const meteringStats = z.union([
  z
    .object({
      state: z.enum(['ok', 'spooling', 'closed']),
      queueDepth: count,
      queueMax: count,
      spoolBytes: count,
      spoolSegments: count,
      eventsRecorded: count,
      eventsWritten: count,
      logsWritten: count,
      eventsSpooled: count,
      eventsReplayed: count,
      batchesWritten: count,
      writeFailures: count,
      lastBatchMs: z.number().nonnegative().nullable(),
      lastError: z.string().nullable(),
      lastWriteAt: isoTime.nullable(),
    })
    .strict(),
  z.object({ state: z.literal('unknown') }).strict(),
]);

export const adminPlanList = z.object({ plans: z.array(planInfo) }).strict();

export const planChange = z
  .object({
    org_id: z.string(),
    plan_id: z.string(),
    previous_plan_id: z.string().nullable(),
    subscription_id: z.string(),
  })
  .strict();

export const adminLedger = z
  .object({ org_id: z.string(), balance_micros: z.number().int(), entries: z.array(ledgerEntry) })
  .strict();

export const ledgerAppended = z.object({ entry: ledgerEntry, balance_micros: z.number().int() }).strict();

const fleetState = z.enum(['active', 'draining', 'disabled']);

/** One router of a pool with its live health. */
export const routerView = z
  .object({
    id: z.string(),
    baseUrl: z.string(),
    authSecretRef: z.string().nullable(),
    state: fleetState,
    weight: z.number(),
    maxConcurrency: count,
    dedicatedSessions: count,
    ephemeralSessions: count,
    inFlight: count,
    ewmaMs: z.number().nullable(),
    breaker: z
      .object({
        state: z.enum(['closed', 'open', 'half_open']),
        consecutiveFailures: count,
        openedAt: z.number().nullable(),
      })
      .strict(),
    cooldownUntil: z.number().nullable(),
    lastProbe: z.object({ ok: z.boolean(), at: isoTime, detail: z.string().optional() }).strict().nullable(),
  })
  .strict();

export const poolView = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(['cortensor', 'openai']),
    apiVersion: z.enum(['v1', 'v2', 'v3']),
    state: fleetState,
    isDemo: z.boolean(),
    models: z.array(z.string()),
    routers: z.array(routerView),
  })
  .strict();

export const poolList = listOf(poolView, { demo: z.boolean() });

/** A catalog row as stored (camelCase), prices in micro-dollars per million tokens. */
export const catalogModel = z
  .object({
    id: z.string(),
    displayName: z.string(),
    description: z.string(),
    contextWindow: count,
    maxOutputTokens: count,
    defaultMaxTokens: count,
    template: z.string(),
    inputPricePerMTok: count,
    outputPricePerMTok: count,
    aliases: z.array(z.string()),
    status: z.enum(['enabled', 'disabled']),
    sortOrder: z.number().int(),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .strict();

export const adminModelList = z
  .object({ data: z.array(catalogModel.extend({ servable: z.boolean() }).strict()) })
  .strict();

/** One request-log row as stored (camelCase); bodies only when the organization turned body logging on. */
export const requestLog = z
  .object({
    requestId: z.string(),
    occurredAt: isoTime,
    orgId: z.string().nullable(),
    keyId: z.string().nullable(),
    modelId: z.string().nullable(),
    poolId: z.string().nullable(),
    routerId: z.string().nullable(),
    endpoint: z.string(),
    method: z.string(),
    stream: z.boolean(),
    status: z.number().int(),
    errorCode: z.string().nullable(),
    latencyMs: count,
    ttftMs: count.nullable(),
    inputTokens: count,
    outputTokens: count,
    clientIpHash: z.string().nullable(),
    clientRequestId: z.string().nullable(),
    requestBody: z.unknown(),
    responseBody: z.string().nullable(),
    bodyExpiresAt: isoTime.nullable(),
  })
  .strict();

export const requestLogPage = z
  .object({ data: z.array(requestLog), next_cursor: z.string().nullable() })
  .strict();

export const orgLimits = z.object({ data: z.array(usageWindow) }).strict();

export type AdminUser = z.infer<typeof adminUser>;
export type PoolView = z.infer<typeof poolView>;
export type RequestLog = z.infer<typeof requestLog>;

/** GET /admin/api/users: find one user by email (else the first 500). Read by the route from the query. */
export const adminUsersQuery = z.object({ email: z.string().optional() }).strict();
/** GET /admin/api/keys: whose keys, by a user's email or an organization id (one of them is required). */
export const adminKeysQuery = z
  .object({ email: z.string().optional(), org_id: z.string().optional() })
  .strict();

const route = (
  method: RouteContract['method'],
  path: string,
  response: z.ZodType,
  extra: Partial<Pick<RouteContract, 'status' | 'request'>> = {},
): RouteContract => ({ method, path: `/admin/api${path}`, status: 200, response, ...extra });

/** Every admin-API route; the admin contract test fails when the app registers one not listed here. */
export const adminRoutes: readonly RouteContract[] = [
  route('POST', '/users', createdUser, { status: 201, request: createUserBody }),
  route('GET', '/users', adminUserList, { request: adminUsersQuery }),
  route('GET', '/users/:id', adminUser),
  route('POST', '/keys', adminCreatedKey, { status: 201, request: adminCreateKeyBody }),
  route('GET', '/keys', adminKeyList, { request: adminKeysQuery }),
  route('DELETE', '/keys/:id', apiKey),
  route('POST', '/keys/:id/disable', apiKey),
  route('POST', '/keys/:id/enable', apiKey),
  route('GET', '/orgs/:id', adminOrg),
  route('POST', '/orgs/:id/disable', adminOrg, { request: disableOrgBody }),
  route('POST', '/orgs/:id/enable', adminOrg, { request: disableOrgBody }),
  route('GET', '/metering', meteringStats),
  route('GET', '/plans', adminPlanList),
  route('POST', '/orgs/:id/plan', planChange, { request: changePlanBody }),
  route('GET', '/orgs/:id/ledger', adminLedger),
  route('POST', '/orgs/:id/ledger', ledgerAppended, { status: 201, request: ledgerEntryBody }),
  route('GET', '/pools', poolList),
  route('GET', '/pools/:id', poolView),
  route('POST', '/pools/:id/state', poolView, { request: poolStateBody }),
  route('POST', '/routers/:id/state', poolView, { request: poolStateBody }),
  route('GET', '/models', adminModelList),
  route('POST', '/models/:id/disable', catalogModel),
  route('POST', '/models/:id/enable', catalogModel),
  route('GET', '/requests', requestLogPage, { request: requestLogQuery }),
  route('GET', '/requests/:id', requestLog),
  route('GET', '/orgs/:id/limits', orgLimits),
];

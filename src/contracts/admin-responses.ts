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
  adminKeysQuery,
  adminOrgsQuery,
  auditQuery,
  changePlanBody,
  createRouterBody,
  createUserBody,
  disableOrgBody,
  ledgerEntryBody,
  orgUsageQuery,
  poolStateBody,
  reasonBody,
  requestLogQuery,
  updateRouterBody,
} from './admin.js';
import {
  apiKey,
  createdKey,
  ledgerEntry,
  planInfo,
  usageTotals,
  usageWindow,
  type RouteContract,
} from './product.js';

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

/** A key as operators see it: the owner's view plus the organization it belongs to. */
export const adminKey = apiKey.extend({ org_id: z.string() }).strict();

/**
 * GET /admin/api/keys: an organization's keys (`org_id` or `email`; `org_id` is that organization), or the
 * keys whose visible prefix starts with `prefix` (`org_id` null: they may belong to several).
 */
export const adminKeyList = listOf(adminKey, { org_id: z.string().nullable() });

/** The plan an organization is on (its active subscription), or null when it has none. */
const orgPlan = z
  .object({ id: z.string(), name: z.string(), kind: z.enum(['free', 'monthly_quota', 'credits']) })
  .strict()
  .nullable();

/** One organization in the operators' list (GET /admin/api/orgs). */
export const adminOrgSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(['active', 'disabled']),
    disabled_reason: z.string().nullable(),
    plan: orgPlan,
    /** The email of the organization's owner (the first owner when there are several); null when none. */
    owner_email: z.string().nullable(),
    /** Keys that are active (not revoked, disabled or expired). */
    key_count: count,
    created_at: isoTime,
  })
  .strict();

/** GET /admin/api/orgs/:id and the answer of every organization action. */
export const adminOrg = adminOrgSummary
  .extend({
    /** Micro-dollars; only for organizations on a credits plan, else null. */
    credit_balance: z.number().int().nullable(),
  })
  .strict();

/** GET /admin/api/orgs: newest first, cursor paging. */
export const adminOrgPage = listOf(adminOrgSummary, { next_cursor: z.string().nullable() });

/** GET /admin/api/orgs/:id/usage: daily buckets (UTC) of one organization, the dashboard's own numbers. */
export const adminOrgUsage = z
  .object({
    org_id: z.string(),
    from: isoTime,
    to: isoTime,
    granularity: z.literal('day'),
    totals: usageTotals,
    series: z.array(usageTotals.extend({ bucket: isoTime }).strict()),
  })
  .strict();

/** Who did something, as the audit log names them; `email` is the user's when `kind` is `user`. */
export const auditActor = z
  .object({
    kind: z.enum(['user', 'admin', 'system', 'cli']),
    id: z.string().nullable(),
    email: z.string().nullable(),
  })
  .strict();

/** One audit entry: who, what, when, on what, why, and the target's state before and after. */
export const auditEntry = z
  .object({
    id: z.string(),
    occurred_at: isoTime,
    actor: auditActor,
    action: z.string(),
    target_type: z.string(),
    target_id: z.string(),
    org_id: z.string().nullable(),
    reason: z.string().nullable(),
    /** The changed fields before the action (null for a creation or an entry that recorded none). */
    before: z.record(z.string(), z.unknown()).nullable(),
    /** The changed fields after it (null for a removal or an entry that recorded none). */
    after: z.record(z.string(), z.unknown()).nullable(),
  })
  .strict();

/** GET /admin/api/audit: newest first, cursor paging. */
export const auditPage = listOf(auditEntry, { next_cursor: z.string().nullable() });

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

/**
 * One router of a pool with its live health. `source`: `config` (defined in the config file, changed there) or
 * `admin` (added through the admin API, changed there). `authSecretRef` is the NAME of the variable holding the
 * key, never the key. `errorRate`: share of failed attempts, an exponentially weighted average (null before
 * the first attempt).
 */
export const routerView = z
  .object({
    id: z.string(),
    baseUrl: z.string(),
    authSecretRef: z.string().nullable(),
    source: z.enum(['config', 'admin']),
    state: fleetState,
    weight: z.number(),
    maxConcurrency: count,
    dedicatedSessions: count,
    ephemeralSessions: count,
    inFlight: count,
    ewmaMs: z.number().nullable(),
    errorRate: z.number().min(0).max(1).nullable(),
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

/** A model's list price, micro-dollars per million tokens (the catalog's; plans do not override it). */
export const modelPricing = z
  .object({ input_per_mtok_micros: count, output_per_mtok_micros: count })
  .strict()
  .nullable();

/** GET /admin/api/models: the catalog row, whether a pool can serve it now, its price and its pools. */
export const adminModel = catalogModel
  .extend({ servable: z.boolean(), pricing: modelPricing, pools: z.array(z.string()) })
  .strict();

export const adminModelList = z.object({ data: z.array(adminModel) }).strict();

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
export type RouterView = z.infer<typeof routerView>;
export type RequestLog = z.infer<typeof requestLog>;
export type RequestLogPage = z.infer<typeof requestLogPage>;
export type AdminKey = z.infer<typeof adminKey>;
export type AdminKeyList = z.infer<typeof adminKeyList>;
export type AdminOrg = z.infer<typeof adminOrg>;
export type AdminOrgSummary = z.infer<typeof adminOrgSummary>;
export type AdminOrgPage = z.infer<typeof adminOrgPage>;
export type AdminOrgUsage = z.infer<typeof adminOrgUsage>;
export type AdminModel = z.infer<typeof adminModel>;
export type AuditEntry = z.infer<typeof auditEntry>;
export type AuditPage = z.infer<typeof auditPage>;
export type MeteringStats = z.infer<typeof meteringStats>;
export type OrgLimits = z.infer<typeof orgLimits>;

/** GET /admin/api/users: find one user by email (else the first 500). Read by the route from the query. */
export const adminUsersQuery = z.object({ email: z.string().optional() }).strict();

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
  route('GET', '/keys/:id', adminKey),
  // DELETE takes the same optional `{reason}` body; the table documents bodies for POST/PATCH only.
  route('DELETE', '/keys/:id', apiKey),
  route('POST', '/keys/:id/disable', apiKey, { request: reasonBody }),
  route('POST', '/keys/:id/enable', apiKey, { request: reasonBody }),
  route('GET', '/orgs', adminOrgPage, { request: adminOrgsQuery }),
  route('GET', '/orgs/:id', adminOrg),
  route('GET', '/orgs/:id/usage', adminOrgUsage, { request: orgUsageQuery }),
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
  route('POST', '/pools/:id/routers', poolView, { status: 201, request: createRouterBody }),
  route('PATCH', '/routers/:id', poolView, { request: updateRouterBody }),
  // Takes an optional `{reason}` body, like DELETE /keys/:id.
  route('DELETE', '/routers/:id', poolView),
  route('GET', '/models', adminModelList),
  route('POST', '/models/:id/disable', catalogModel, { request: reasonBody }),
  route('POST', '/models/:id/enable', catalogModel, { request: reasonBody }),
  route('GET', '/requests', requestLogPage, { request: requestLogQuery }),
  route('GET', '/requests/:id', requestLog),
  route('GET', '/orgs/:id/limits', orgLimits),
  route('GET', '/audit', auditPage, { request: auditQuery }),
];

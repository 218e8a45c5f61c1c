/**
 * The product API (`/api/*`, behind the dashboard session): every route's request and response schema, one
 * source for the routes (they validate with the request schemas), the dashboard (its types and form rules) and
 * the contract test (`productRoutes`, walked against the routes the app registers). Imports only zod.
 */
import { z } from 'zod';
import { isoTime, count, listOf } from './primitives.js';
import { clampDate, isPlainText } from './values.js';
import { docsResponse } from './docs.js';

// ── requests ──────────────────────────────────────────────────────────────────────────────────────────────

const MAX_LIMIT = 100_000_000;

/**
 * Key names are plain text: 1–100 characters, no control, bidi or invisible characters and no angle brackets
 * (they are never rendered as HTML anyway, but a name with markup is almost always a mistake or a probe, so it
 * is refused with a clear message).
 */
export const keyName = z
  .string({ error: 'name must be a string.' })
  .trim()
  .min(1, 'Give the key a name (1–100 characters).')
  .max(100, 'Key names can be at most 100 characters.')
  .refine(
    isPlainText,
    'Key names cannot contain control characters, bidi overrides or other invisible characters.',
  )
  .refine((s) => !/[<>]/.test(s), 'Key names cannot contain "<" or ">".');

export const expiresAt = z
  .string({ error: 'expires_at must be an ISO 8601 date-time string.' })
  .refine((s) => /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) && !isNaN(Date.parse(s)), {
    message: 'expires_at must be a valid ISO 8601 date, e.g. 2027-01-31T00:00:00Z.',
  })
  .transform((s) => new Date(s))
  .refine((d) => d.getTime() > Date.now(), 'expires_at must be in the future.')
  .refine((d) => d.getTime() < Date.now() + 10 * 366 * 24 * 3600_000, 'expires_at must be within 10 years.');

const perMinute = (what: string) =>
  z
    .number({ error: `${what} must be a whole number.` })
    .int(`${what} must be a whole number.`)
    .positive(`${what} must be at least 1.`)
    .max(MAX_LIMIT, `${what} can be at most ${MAX_LIMIT}.`)
    .nullable();

export const keyLimits = z
  .object({
    requests_per_minute: perMinute('requests_per_minute').optional(),
    tokens_per_minute: perMinute('tokens_per_minute').optional(),
  })
  .strict();

export const modelScope = z
  .array(z.string().min(1, 'Model ids cannot be empty.').max(64, 'Model ids are at most 64 characters.'), {
    error: 'models must be a list of model ids.',
  })
  .max(50, 'At most 50 models per key.')
  .nullable();

/** POST /api/keys */
export const createKeyBody = z
  .object({
    name: keyName,
    expires_at: expiresAt.nullable().optional(),
    models: modelScope.optional(),
    limits: keyLimits.optional(),
  })
  .strict();

/** PATCH /api/keys/:id */
export const updateKeyBody = z
  .object({
    name: keyName.optional(),
    expires_at: expiresAt.nullable().optional(),
    models: modelScope.optional(),
    limits: keyLimits.optional(),
  })
  .strict();

const time = z
  .string()
  .trim()
  .refine((s) => Number.isFinite(Date.parse(s)), 'must be an ISO date or date-time')
  .transform((s) => clampDate(new Date(s)));

/** GET /api/usage?from&to&granularity=day|hour&key&model */
export const usageQuery = z
  .object({
    from: time.optional(),
    to: time.optional(),
    granularity: z.enum(['hour', 'day']).default('day'),
    key: z.string().min(1).max(100).optional(),
    model: z.string().min(1).max(100).optional(),
  })
  .strict();

/** GET /api/requests — the signed-in organization's request log, newest first. */
export const customerRequestQuery = z
  .object({
    model: z.string().max(64).optional(),
    status: z.coerce.number().int().min(100).max(599).optional(),
    error_code: z.string().max(64).optional(),
    key_id: z.string().max(64).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
    /** Opaque cursor from the previous page's `next_cursor`. */
    cursor: z.string().max(200).optional(),
  })
  .strict();

/** What the dashboard's name fields say before sending: the server's own rule, its first message or null. */
export function keyNameProblem(name: string): string | null {
  const result = keyName.safeParse(name);
  return result.success ? null : (result.error.issues[0]?.message ?? 'Invalid name.');
}

// ── responses ─────────────────────────────────────────────────────────────────────────────────────────────

const perMinuteLimit = z.number().int().positive().nullable();

const authProvider = z.enum(['local', 'clerk', 'supabase']);

/** GET /api/auth/provider (public) */
export const authProviderResponse = z
  .object({
    provider: authProvider,
    emailVerification: z.boolean(),
    /** Clerk mode: what the dashboard's Clerk SDK needs (public values only). */
    clerk: z
      .object({
        publishableKey: z.string().nullable(),
        signInUrl: z.string().nullable(),
        proxyUrl: z.string().nullable(),
      })
      .strict()
      .optional(),
    /** Supabase mode: the project URL, its public anon key and the OAuth providers to offer. */
    supabase: z
      .object({ url: z.string(), anonKey: z.string().nullable(), oauthProviders: z.array(z.string()) })
      .strict()
      .optional(),
  })
  .strict();

/** GET /api/account */
export const accountResponse = z
  .object({
    user: z.object({ id: z.string(), email: z.string(), name: z.string() }).strict(),
    organization: z
      .object({ id: z.string(), name: z.string(), status: z.enum(['active', 'disabled']) })
      .strict(),
    role: z.enum(['owner', 'admin', 'member']),
    plan: z
      .object({
        id: z.string(),
        name: z.string(),
        kind: z.enum(['free', 'monthly_quota', 'credits']),
        max_active_keys: count,
      })
      .strict(),
    auth_provider: authProvider,
    demo_backend: z.boolean(),
    /**
     * Whether this user may use the operations console (/admin/api/* with this session): `is_admin` in the
     * store, or the email listed in `admin.emails` (docs/decisions/020-admins-as-people.md).
     */
    is_admin: z.boolean(),
  })
  .strict();

/** One key as its owner sees it: display parts, status, scopes and limits — never the key or its hash. */
export const apiKey = z
  .object({
    id: z.string(),
    object: z.literal('api_key'),
    name: z.string(),
    display_prefix: z.string(),
    last_four: z.string(),
    /** e.g. "ptl_Ab12Cd…wXyZ" */
    redacted: z.string(),
    status: z.enum(['active', 'revoked', 'disabled', 'expired']),
    models: z.array(z.string()).nullable(),
    limits: z.object({ requests_per_minute: perMinuteLimit, tokens_per_minute: perMinuteLimit }).strict(),
    created_at: isoTime,
    last_used_at: isoTime.nullable(),
    expires_at: isoTime.nullable(),
    revoked_at: isoTime.nullable(),
  })
  .strict();

/** POST /api/keys (201): the key view plus the full key, in this response only. */
export const createdKey = apiKey.extend({ key: z.string().min(20) }).strict();

/** GET /api/keys */
export const keyList = listOf(apiKey);

export const model = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    context_window: count,
    max_output_tokens: count,
  })
  .strict();

/** GET /api/models */
export const modelList = listOf(model);

const usageNumbers = {
  requests: count,
  input_tokens: count,
  output_tokens: count,
  cost: z.number().nonnegative(),
};

export const usageTotals = z.object({ ...usageNumbers, cost_micros: count }).strict();

/**
 * The names of the sliding limit windows, the one list the gateway's limits and the dashboard's labels are
 * typed from (a new name fails the typecheck where a label or a definition is missing).
 */
export const windowName = z.enum([
  'requests_per_minute',
  'tokens_per_minute',
  'requests_per_day',
  'tokens_per_day',
  'tokens_per_month',
]);
export type WindowName = z.infer<typeof windowName>;

/** One limit window and when it frees up; `resets_at` is null when nothing is counted in it. */
export const usageWindow = z
  .object({
    name: windowName,
    subject: z.enum(['key', 'org']),
    key_id: z.string().optional(),
    key_name: z.string().optional(),
    limit: count,
    used: count,
    remaining: count,
    resets_at: isoTime.nullable(),
  })
  .strict();

/** GET /api/usage */
export const usageResponse = z
  .object({
    from: isoTime,
    to: isoTime,
    granularity: z.enum(['hour', 'day']),
    totals: usageTotals,
    series: z.array(usageTotals.extend({ bucket: isoTime }).strict()),
    by_key: z.array(
      z.object({ key_id: z.string(), key_name: z.string().nullable(), ...usageNumbers }).strict(),
    ),
    by_model: z.array(z.object({ model: z.string(), ...usageNumbers }).strict()),
    windows: z.array(usageWindow),
  })
  .strict();

export const planInfo = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(['free', 'monthly_quota', 'credits']),
    limits: z
      .object({
        requests_per_minute: count.nullable(),
        tokens_per_minute: count.nullable(),
        requests_per_day: count.nullable(),
        tokens_per_day: count.nullable(),
      })
      .strict(),
    monthly_tokens: count.nullable(),
    max_active_keys: count,
    /** Model ids the plan may call ("*" expanded to the enabled catalog). */
    models: z.array(z.string()),
    price_micros_per_month: count,
  })
  .strict();

export const ledgerEntry = z
  .object({
    id: z.string(),
    occurred_at: isoTime,
    kind: z.enum(['grant', 'usage_debit', 'adjustment', 'refund']),
    amount_micros: z.number().int(),
    description: z.string(),
  })
  .strict();

/** GET /api/plan */
export const planResponse = z
  .object({
    plan: planInfo,
    balance_micros: z.number().int().nullable(),
    ledger: z.array(ledgerEntry),
    plans: z.array(planInfo),
  })
  .strict();

/**
 * One request of the signed-in organization (GET /api/requests, /api/requests/:request_id): no bodies, no
 * client address, no router. `request_id` is the `x-request-id` response header of the call.
 */
export const customerRequest = z
  .object({
    request_id: z.string(),
    occurred_at: isoTime,
    key_id: z.string().nullable(),
    /** The key's current name; null when the key is gone. */
    key_name: z.string().nullable(),
    model: z.string().nullable(),
    endpoint: z.string(),
    stream: z.boolean(),
    status: z.number().int(),
    error_code: z.string().nullable(),
    latency_ms: count,
    ttft_ms: count.nullable(),
    input_tokens: count,
    output_tokens: count,
  })
  .strict();

/** GET /api/requests: newest first; `next_cursor` fetches the next page (null on the last one). */
export const customerRequestPage = listOf(customerRequest, { next_cursor: z.string().nullable() });

// ── types ─────────────────────────────────────────────────────────────────────────────────────────────────

export type CreateKeyBody = z.infer<typeof createKeyBody>;
export type UpdateKeyBody = z.infer<typeof updateKeyBody>;
/** What a client sends (dates as strings), as opposed to the parsed bodies above. */
export type CreateKeyRequest = z.input<typeof createKeyBody>;
export type UpdateKeyRequest = z.input<typeof updateKeyBody>;
export type AuthProviderResponse = z.infer<typeof authProviderResponse>;
export type Account = z.infer<typeof accountResponse>;
export type ApiKey = z.infer<typeof apiKey>;
export type CreatedKey = z.infer<typeof createdKey>;
export type KeyList = z.infer<typeof keyList>;
export type Model = z.infer<typeof model>;
export type ModelList = z.infer<typeof modelList>;
export type UsageTotals = z.infer<typeof usageTotals>;
export type UsageWindow = z.infer<typeof usageWindow>;
export type Usage = z.infer<typeof usageResponse>;
export type PlanInfo = z.infer<typeof planInfo>;
export type LedgerEntry = z.infer<typeof ledgerEntry>;
export type PlanResponse = z.infer<typeof planResponse>;
export type CustomerRequestQuery = z.input<typeof customerRequestQuery>;
export type CustomerRequest = z.infer<typeof customerRequest>;
export type CustomerRequestPage = z.infer<typeof customerRequestPage>;

// ── the route table ───────────────────────────────────────────────────────────────────────────────────────

export interface RouteContract {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** As registered in Hono, e.g. `/api/keys/:id`. */
  path: string;
  /** The success status. */
  status: number;
  request?: z.ZodType;
  response: z.ZodType;
}

/** Every product-API route; the contract test fails when the app registers an `/api/*` route not listed here. */
export const productRoutes: readonly RouteContract[] = [
  { method: 'GET', path: '/api/auth/provider', status: 200, response: authProviderResponse },
  { method: 'GET', path: '/api/account', status: 200, response: accountResponse },
  { method: 'GET', path: '/api/models', status: 200, response: modelList },
  { method: 'POST', path: '/api/keys', status: 201, request: createKeyBody, response: createdKey },
  { method: 'GET', path: '/api/keys', status: 200, response: keyList },
  { method: 'GET', path: '/api/keys/:id', status: 200, response: apiKey },
  { method: 'PATCH', path: '/api/keys/:id', status: 200, request: updateKeyBody, response: apiKey },
  { method: 'DELETE', path: '/api/keys/:id', status: 200, response: apiKey },
  { method: 'GET', path: '/api/usage', status: 200, request: usageQuery, response: usageResponse },
  { method: 'GET', path: '/api/plan', status: 200, response: planResponse },
  { method: 'GET', path: '/api/docs', status: 200, response: docsResponse },
  {
    method: 'GET',
    path: '/api/requests',
    status: 200,
    request: customerRequestQuery,
    response: customerRequestPage,
  },
  { method: 'GET', path: '/api/requests/:request_id', status: 200, response: customerRequest },
];

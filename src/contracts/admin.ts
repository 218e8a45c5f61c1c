/**
 * The admin API (`/admin/api/*`, behind the admin token or an admin's session): the request schemas its routes validate with. Same
 * rules as the product API where a field is shared (a key's name, expiry, scope and limits). Imports only zod.
 */
import { z } from 'zod';
import { createKeyBody } from './product.js';
import { isPlainText } from './values.js';

/** Why an operator acted: recorded in the audit entry of every customer-affecting change. */
export const reason = z
  .string({ error: 'reason must be a string.' })
  .trim()
  .max(500, 'reason can be at most 500 characters.')
  .refine(isPlainText, 'reason cannot contain control characters, bidi overrides or invisible characters.');

/** POST /admin/api/keys — a product key body plus whose key it is (a user by email, or an organization). */
export const adminCreateKeyBody = createKeyBody.extend({
  email: z.email('email must be a valid email address.').optional(),
  org_id: z.string().min(1).optional(),
  reason: reason.optional(),
});

/** POST /admin/api/users */
export const createUserBody = z
  .object({
    email: z.email('email must be a valid email address.').max(254),
    // Length and commonness are checked by the sign-up rule (product/auth/password-rules.ts), the same for everyone.
    password: z.string().max(1024, 'password can be at most 1024 characters.'),
    name: z
      .string()
      .trim()
      .max(100)
      .regex(/^[^<>]*$/, 'name cannot contain "<" or ">".')
      .refine(
        isPlainText,
        'name cannot contain control characters, bidi overrides or other invisible characters.',
      )
      .optional(),
    admin: z.boolean().optional(),
  })
  .strict();

/**
 * The optional body of an admin action that only needs a reason: keys (disable, enable, DELETE), organizations
 * (disable, enable), models (disable, enable). The body itself may be left out.
 */
export const reasonBody = z.object({ reason: reason.optional() }).strict();

/** POST /admin/api/orgs/:id/disable and /enable (the body is optional) */
export const disableOrgBody = reasonBody;

/** POST /admin/api/orgs/:id/plan */
export const changePlanBody = z.object({ plan_id: z.string().min(1), reason: reason.optional() }).strict();

/** POST /admin/api/orgs/:id/ledger */
export const ledgerEntryBody = z
  .object({
    kind: z.enum(['grant', 'adjustment', 'refund']),
    amount_micros: z
      .number()
      .int()
      .refine((n) => n !== 0, 'amount_micros must not be zero'),
    description: z.string().trim().max(500).default(''),
    /** Why (recorded in the audit entry; the description is what the customer's ledger shows). */
    reason: reason.optional(),
  })
  .strict()
  .refine((b) => b.kind === 'adjustment' || b.amount_micros > 0, {
    message: 'grants and refunds add credit: amount_micros must be positive',
    path: ['amount_micros'],
  });

/** POST /admin/api/pools/:id/state and /admin/api/routers/:id/state */
export const poolStateBody = z.object({
  state: z.enum(['active', 'draining', 'disabled']),
  reason: reason.optional(),
});

const cursor = z.string().max(200).optional();
const since = z.iso.datetime({ offset: true }).optional();
const pageLimit = (max: number, fallback: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback);

/** GET /admin/api/requests — filters, time range and keyset pagination. */
export const requestLogQuery = z
  .object({
    /** The organization (`org` is the older spelling, still accepted). */
    org_id: z.string().max(64).optional(),
    org: z.string().max(64).optional(),
    /** The key (`key` is the older spelling, still accepted). */
    key_id: z.string().max(64).optional(),
    key: z.string().max(64).optional(),
    model: z.string().max(64).optional(),
    status: z.coerce.number().int().min(100).max(599).optional(),
    error_code: z.string().max(64).optional(),
    since: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    /** Opaque cursor from the previous page's `next_cursor`. */
    cursor: z.string().max(200).optional(),
  })
  .strict();

/** GET /admin/api/audit — filters and keyset pagination, newest first. */
export const auditQuery = z
  .object({
    actor_id: z.string().max(64).optional(),
    action: z.string().max(64).optional(),
    target_type: z.string().max(64).optional(),
    target_id: z.string().max(128).optional(),
    org_id: z.string().max(64).optional(),
    since,
    until: since,
    limit: pageLimit(200, 50),
    cursor,
  })
  .strict();

/** GET /admin/api/orgs — `q` matches an organization's name (substring), id or owner's email (prefix). */
export const adminOrgsQuery = z
  .object({
    q: z.string().trim().max(100).optional(),
    status: z.enum(['active', 'disabled']).optional(),
    plan: z.string().max(64).optional(),
    limit: pageLimit(200, 50),
    cursor,
  })
  .strict();

/** GET /admin/api/orgs/:id/usage — daily buckets over the last `days` days (today included). */
export const orgUsageQuery = z.object({ days: z.coerce.number().int().min(1).max(366).default(30) }).strict();

/** GET /admin/api/keys: whose keys (a user's email or an organization id), or one key by its visible prefix. */
export const adminKeysQuery = z
  .object({
    email: z.string().max(254).optional(),
    org_id: z.string().max(64).optional(),
    /** The start of a key as shown (`display_prefix`, e.g. "ptl_Ab12Cd"); at least 8 characters. */
    prefix: z.string().min(8).max(64).optional(),
  })
  .strict();

const routerId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'id: 1–63 lowercase letters, digits, ".", "_" or "-".');
const routerUrl = z
  .url({ protocol: /^https?$/, error: 'url must be an http(s) URL, e.g. https://router-1.internal:5010' })
  .max(2048)
  .refine((u) => !/[?#@]/.test(u.replace(/^https?:\/\//, '')), {
    message: 'url cannot carry credentials, a query or a fragment (put the key in the secret reference).',
  });
/** Names the environment variable (or secret) that holds the router's bearer key — never the key itself. */
const secretRef = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]{0,127}$/, 'secret_ref is the NAME of an environment variable, e.g. ROUTER_1_KEY.');
const routerFields = {
  url: routerUrl,
  secret_ref: secretRef.nullable().optional(),
  /** Dedicated Cortensor session ids on this router. */
  sessions: z.array(z.number().int().nonnegative()).max(256).optional(),
  weight: z.number().int().min(1).max(1000).optional(),
  max_concurrency: z.number().int().min(1).max(10_000).optional(),
  reason: reason.optional(),
};

/** POST /admin/api/pools/:id/routers — a new router, owned by the store (not the config file). */
export const createRouterBody = z.object({ id: routerId.optional(), ...routerFields }).strict();

/** PATCH /admin/api/routers/:id — any of the fields; routers defined in the config file are changed there. */
export const updateRouterBody = z
  .object({ ...routerFields, url: routerUrl.optional() })
  .strict()
  .refine((b) => Object.keys(b).some((k) => k !== 'reason'), 'Give at least one field to change.');

export type AuditQuery = z.infer<typeof auditQuery>;
export type CreateRouterBody = z.infer<typeof createRouterBody>;
export type UpdateRouterBody = z.infer<typeof updateRouterBody>;

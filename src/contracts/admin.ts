/**
 * The admin API (`/admin/api/*`, behind the admin token): the request schemas its routes validate with. Same
 * rules as the product API where a field is shared (a key's name, expiry, scope and limits). Imports only zod.
 */
import { z } from 'zod';
import { createKeyBody } from './product.js';
import { isPlainText } from './values.js';

/** POST /admin/api/keys — a product key body plus whose key it is (a user by email, or an organization). */
export const adminCreateKeyBody = createKeyBody.extend({
  email: z.email('email must be a valid email address.').optional(),
  org_id: z.string().min(1).optional(),
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

/** POST /admin/api/orgs/:id/disable (the body is optional) */
export const disableOrgBody = z.object({ reason: z.string().trim().max(500).optional() }).strict();

/** POST /admin/api/orgs/:id/plan */
export const changePlanBody = z.object({ plan_id: z.string().min(1) }).strict();

/** POST /admin/api/orgs/:id/ledger */
export const ledgerEntryBody = z
  .object({
    kind: z.enum(['grant', 'adjustment', 'refund']),
    amount_micros: z
      .number()
      .int()
      .refine((n) => n !== 0, 'amount_micros must not be zero'),
    description: z.string().trim().max(500).default(''),
  })
  .strict()
  .refine((b) => b.kind === 'adjustment' || b.amount_micros > 0, {
    message: 'grants and refunds add credit: amount_micros must be positive',
    path: ['amount_micros'],
  });

/** POST /admin/api/pools/:id/state and /admin/api/routers/:id/state */
export const poolStateBody = z.object({ state: z.enum(['active', 'draining', 'disabled']) });

/** GET /admin/api/requests — filters, time range and keyset pagination. */
export const requestLogQuery = z
  .object({
    org: z.string().max(64).optional(),
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

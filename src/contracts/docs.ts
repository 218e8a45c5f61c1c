/**
 * GET /api/docs — the public facts the docs pages show without sign-in: where to get help (`support.*` from
 * the config), the live model catalog (the same models and fields /v1/models lists, plus which plans include
 * each and whether it can be called right now) and the plans' limits. Imports only zod.
 */
import { z } from 'zod';
import { count } from './primitives.js';

export const docsModel = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    aliases: z.array(z.string()),
    context_window: count,
    max_output_tokens: count,
    /** Price per million tokens, in micro-units of the currency (1e-6): what a credits plan is charged. */
    input_price_per_mtok_micros: count,
    output_price_per_mtok_micros: count,
    capabilities: z.object({ tools: z.boolean(), json: z.boolean(), reasoning: z.boolean() }).strict(),
    /** available: callable now; unavailable: its pools are draining, disabled or unhealthy. */
    status: z.enum(['available', 'unavailable']),
    /** Ids of the plans that include this model. */
    plans: z.array(z.string()),
  })
  .strict();

const limit = count.nullable();

/** A plan's limits under the names the gateway uses for them (and that 429 messages quote). */
export const docsPlan = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(['free', 'monthly_quota', 'credits']),
    limits: z
      .object({
        requests_per_minute: limit,
        tokens_per_minute: limit,
        requests_per_day: limit,
        tokens_per_day: limit,
        tokens_per_month: limit,
      })
      .strict(),
    max_active_keys: count,
    models: z.array(z.string()),
  })
  .strict();

export const docsResponse = z
  .object({
    support: z.object({ url: z.string().nullable(), email: z.string().nullable() }).strict(),
    models: z.array(docsModel),
    plans: z.array(docsPlan),
  })
  .strict();

export type DocsModel = z.infer<typeof docsModel>;
export type DocsPlan = z.infer<typeof docsPlan>;
export type DocsResponse = z.infer<typeof docsResponse>;

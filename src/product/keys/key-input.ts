/**
 * The request bodies of the keys API, as zod schemas with messages a person can act on. Names are plain text:
 * 1–100 characters, no control, bidi or invisible characters (validation.ts) and no angle brackets (they are never rendered as HTML anyway, but a
 * name with markup is almost always a mistake or a probe, so it is refused with a clear message).
 */
import { z } from 'zod';
import { isPlainText } from '../validation.js';

const MAX_LIMIT = 100_000_000;

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

export const createKeyBody = z
  .object({
    name: keyName,
    expires_at: expiresAt.nullable().optional(),
    models: modelScope.optional(),
    limits: keyLimits.optional(),
  })
  .strict();

export const updateKeyBody = z
  .object({
    name: keyName.optional(),
    expires_at: expiresAt.nullable().optional(),
    models: modelScope.optional(),
    limits: keyLimits.optional(),
  })
  .strict();

export type CreateKeyBody = z.infer<typeof createKeyBody>;
export type UpdateKeyBody = z.infer<typeof updateKeyBody>;

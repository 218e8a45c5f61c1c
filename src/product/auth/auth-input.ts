/**
 * Input rules better-auth does not enforce itself, checked before a request reaches it: display names are
 * 1–100 characters of plain text (no markup, no control characters), emails at most 254 characters. A
 * violation is a 400 `invalid_request_error` naming the field, like every other product form.
 */
import { z } from 'zod';
import { isPlainText, parseValue } from '../validation.js';

const displayName = z
  .string({ error: 'name must be a string.' })
  .trim()
  .min(1, 'Enter your name.')
  .max(100, 'Names can be at most 100 characters.')
  .refine(
    isPlainText,
    'Names cannot contain control characters, bidi overrides or other invisible characters.',
  )
  .refine((s) => !/[<>]/.test(s), 'Names cannot contain "<" or ">".');

const email = z
  .string({ error: 'email must be a string.' })
  .max(254, 'Email addresses are at most 254 characters.');

const RULES: Record<string, z.ZodType> = {
  '/api/auth/sign-up/email': z.object({ name: displayName, email }).loose(),
  '/api/auth/update-user': z.object({ name: displayName.optional() }).loose(),
};

/** Throws a PortalError when the body of a sign-up or profile update breaks the rules above. */
export async function checkAuthInput(path: string, request: Request): Promise<void> {
  const schema = RULES[path];
  if (!schema || request.method !== 'POST') return;
  const body: unknown = await request
    .clone()
    .json()
    .catch(() => ({}));
  parseValue(schema, body);
}

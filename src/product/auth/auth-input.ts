/**
 * Input rules better-auth does not enforce itself, checked before a request reaches it: display names are
 * 1–100 characters of plain text (no markup, no control characters), emails at most 254 characters, new
 * passwords long and uncommon (src/domain/password-rules.ts). A violation is a 400 `invalid_request_error` naming the
 * field, like every other product form.
 */
import { z } from 'zod';
import { isPlainText } from '#src/contracts/index.js';
import { parseValue } from '#src/platform/http/body.js';
import { PortalError } from '#src/platform/http/errors.js';
import type { PublicOrigin } from '#src/platform/config/public-origin.js';
import { passwordProblem } from '#src/domain/password-rules.js';

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

const password = z.string({ error: 'password must be a string.' });

const RULES: Record<string, z.ZodType> = {
  '/api/auth/sign-up/email': z.object({ name: displayName, email, password }).loose(),
  '/api/auth/update-user': z.object({ name: displayName.optional() }).loose(),
  '/api/auth/change-password': z.object({ newPassword: password }).loose(),
  '/api/auth/reset-password': z.object({ newPassword: password }).loose(),
};

/** The field holding a new password, per route. */
const NEW_PASSWORD: Record<string, 'password' | 'newPassword'> = {
  '/api/auth/sign-up/email': 'password',
  '/api/auth/change-password': 'newPassword',
  '/api/auth/reset-password': 'newPassword',
};

/** Throws a PortalError when the body of a sign-up, profile or password change breaks the rules above. */
export async function checkAuthInput(path: string, request: Request): Promise<void> {
  const schema = RULES[path];
  if (!schema || request.method !== 'POST') return;
  const body: unknown = await request
    .clone()
    .json()
    .catch(() => ({}));
  const valid = parseValue(schema, body) as Record<string, unknown>;
  const field = NEW_PASSWORD[path];
  if (!field) return;
  // A sign-up's own email and name count as guessable.
  const inputs = [valid.email, valid.name].filter((s): s is string => typeof s === 'string');
  const problem = await passwordProblem(String(valid[field]), inputs);
  if (problem) throw new PortalError({ code: 'invalid_request_error', param: field, message: problem });
}

const REDIRECT_FIELDS = ['redirectTo', 'callbackURL', 'newUserCallbackURL', 'errorCallbackURL'];

/**
 * Refuses redirect targets (body fields or query parameters) that leave the public origin: they end up in
 * mailed links and redirects that carry tokens. Paths on this site (`/reset-password`) are fine.
 */
export async function checkRedirects(request: Request, origin: PublicOrigin): Promise<void> {
  const url = new URL(request.url);
  const body: unknown =
    request.method === 'POST'
      ? await request
          .clone()
          .json()
          .catch(() => null)
      : null;
  for (const field of REDIRECT_FIELDS) {
    const fromBody = body && typeof body === 'object' ? (body as Record<string, unknown>)[field] : undefined;
    for (const value of [fromBody, url.searchParams.get(field)]) {
      if (value === undefined || value === null || isLocalTarget(value, origin)) continue;
      throw new PortalError({
        code: 'invalid_request_error',
        param: field,
        message: `${field} must be a path on this site (e.g. /reset-password).`,
      });
    }
  }
}

function isLocalTarget(value: unknown, origin: PublicOrigin): boolean {
  if (typeof value !== 'string') return false;
  if (value.startsWith('/') && !value.startsWith('//') && !value.includes('\\')) return true;
  try {
    return new URL(value).origin === origin.origin;
  } catch {
    return false;
  }
}

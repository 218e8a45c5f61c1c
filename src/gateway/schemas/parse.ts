/**
 * Schema checks for the /v1 routes: the body is read by the one JSON reader of every API
 * (platform/http/body.ts), then a zod schema; the first issue becomes one invalid_request_error naming the
 * parameter, in OpenAI's wording. Never a 500 for bad input.
 */
import type { z } from 'zod';
import { PortalError } from '#src/platform/http/errors.js';

/** `at` is where `value` sits in the request body (e.g. "tools.2"), for the param named in errors. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, at?: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  // zod reports at least one issue on failure; should that ever change, still answer a 400, never a 500.
  if (!issue) return fail('Invalid request: the body does not match the expected schema', at ?? null);
  const path = at ? [at, ...issue.path.map(String)] : issue.path.map(String);
  const param = path.length ? path.join('.') : null;
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    const keys = (issue as { keys?: string[] }).keys ?? [];
    const where = param ? `${param}.` : '';
    return fail(
      `Unrecognized request argument supplied: ${keys.map((k) => where + k).join(', ')}`,
      where + (keys[0] ?? ''),
    );
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) message = 'is required';
  return fail(param ? `Invalid value for '${param}': ${message}` : `Invalid request: ${message}`, param);
}

function fail(message: string, param: string | null): never {
  throw new PortalError({ code: 'invalid_request_error', message, param });
}

/**
 * Body parsing for the product API: JSON only, validated by a zod schema. The first problem becomes a
 * PortalError `invalid_request_error` naming the field in `param`, so forms can show it next to the input.
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import { PortalError } from '../platform/http/errors.js';

export async function parseJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = c.req.header('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/json'))
    throw new PortalError({
      code: 'unsupported_media_type',
      message: 'Send the request body as JSON (Content-Type: application/json).',
    });
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new PortalError({ code: 'invalid_json', message: 'The request body is not valid JSON.' });
  }
  return parseValue(schema, raw);
}

export function parseValue<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = issue?.path.map(String).join('.') || null;
  let message = issue?.message ?? 'Invalid request.';
  if (issue?.code === 'unrecognized_keys') message = `Unknown field(s): ${issue.keys.join(', ')}.`;
  else if (issue?.code === 'invalid_type' && valueAt(raw, issue.path) === undefined)
    message = `${param} is required.`;
  throw new PortalError({ code: 'invalid_request_error', message, param });
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

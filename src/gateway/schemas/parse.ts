/**
 * Request body parsing for the /v1 routes: JSON (guarded), then a zod schema; the first issue becomes one
 * invalid_request_error naming the parameter, in the API's own shape. Never a 500 for bad input.
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import { PortalError } from '../../platform/http/errors.js';
import { headerOf } from '../../platform/http/node-io.js';

export async function readJson(c: Context): Promise<unknown> {
  const type = headerOf(c, 'content-type') ?? '';
  if (type && !/^application\/(.+\+)?json\b/i.test(type))
    throw new PortalError({
      code: 'unsupported_media_type',
      message: `Send the request body as JSON (content-type: application/json), not "${type.slice(0, 60)}".`,
    });
  let text: string;
  try {
    text = await c.req.text();
  } catch {
    throw new PortalError({ code: 'invalid_json', message: 'The request body could not be read.' });
  }
  if (!text.trim())
    throw new PortalError({
      code: 'invalid_json',
      message: 'The request body is empty; send a JSON object.',
    });
  // A large body is parsed on a later turn, so requests already read (and /healthz) go first.
  if (text.length > 262_144) await new Promise((resolve) => setImmediate(resolve));
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new PortalError({
      code: 'invalid_json',
      message: `The request body is not valid JSON: ${(err as Error).message.slice(0, 120)}`,
    });
  }
}

/** `at` is where `value` sits in the request body (e.g. "tools.2"), for the param named in errors. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, at?: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
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

/**
 * The one JSON body reader of every API (/v1, /api, /admin/api): the same bad body gets the same code and
 * message everywhere, each API rendering it in its own error shape (OpenAI's, or Anthropic's on
 * /v1/messages). Too-large bodies never get here: the kernel's body limit answers 413 before reading.
 *
 *   a content type that is not JSON (form, text, …)  → 415 unsupported_media_type
 *   an unreadable, empty or malformed body             → 400 invalid_json
 *   JSON that is not an object (array, string, null)   → 400 invalid_request_error
 *
 * A missing content type is read as JSON (SDKs and `curl --data-binary` send none); the product API's CSRF
 * guard refuses form encodings before this runs. Schema problems are worded per API: `parseValue` here
 * for the account and admin APIs (form messages naming the field), the gateway's `parseWith` for /v1
 * (OpenAI's "Unrecognized request argument" wording).
 *
 * @example
 *   const body = await parseJsonBody(c, createKeyBody);   // throws PortalError on any bad input
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import { PortalError } from './errors.js';
import { headerOf } from './node-io.js';

const JSON_TYPE = /^application\/(.+\+)?json\b/i;
/** A body this large is parsed on a later turn, so requests already read (and /healthz) go first. */
const YIELD_ABOVE_CHARS = 262_144;

let lastLargeTurn: Promise<void> = Promise.resolve();
/**
 * The turn a large body is parsed in: one large body per event-loop turn, in arrival order. Ten large bodies
 * read together would otherwise all be parsed in the same `setImmediate` phase, one after another, with
 * nothing served in between.
 */
function largeBodyTurn(): Promise<void> {
  const turn = lastLargeTurn.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
  lastLargeTurn = turn;
  return turn;
}

/** The request body as a JSON object, or a PortalError saying what is wrong with it. */
export async function readJsonObject(c: Context): Promise<Record<string, unknown>> {
  return asObject(await readJson(c, false));
}

/** Like readJsonObject, but an empty body reads as `{}` (actions whose fields are all optional). */
export async function readOptionalJsonObject(c: Context): Promise<Record<string, unknown>> {
  return asObject(await readJson(c, true));
}

function asObject(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new PortalError({
      code: 'invalid_request_error',
      message: `The request body must be a JSON object, not ${describe(value)}.`,
    });
  return value as Record<string, unknown>;
}

async function readJson(c: Context, emptyIsObject: boolean): Promise<unknown> {
  const type = headerOf(c, 'content-type') ?? '';
  if (type && !JSON_TYPE.test(type))
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
  if (!text.trim()) {
    if (emptyIsObject) return {};
    throw new PortalError({
      code: 'invalid_json',
      message: 'The request body is empty; send a JSON object.',
    });
  }
  if (text.length > YIELD_ABOVE_CHARS) await largeBodyTurn();
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new PortalError({
      code: 'invalid_json',
      message: `The request body is not valid JSON: ${(err as Error).message.slice(0, 120)}`,
    });
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** The body read by `readJsonObject`, validated by `schema` (account and admin APIs). */
export async function parseJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  return parseValue(schema, await readJsonObject(c));
}

/**
 * Validates a value (a body, a query) for the account and admin APIs. The first problem becomes a
 * PortalError `invalid_request_error` naming the field in `param`, so forms can show it next to the input.
 */
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

/**
 * JSON Schema validation of model output (response_format json_schema, strict functions) with ajv. Schemas are
 * compiled once and kept in a bounded LRU keyed by their text; ajv's own cache is emptied on eviction, so a
 * stream of distinct schemas cannot grow memory. Schemas are already bounded in size and pattern shape by the
 * request schemas (`schemas/json-schema.ts`); remote `$ref`s are never fetched (compile fails → 400).
 * ajv is loaded on the first schema, not at start: most processes never see one (it is MBs of idle memory).
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Ajv, ValidateFunction } from 'ajv';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import type { JsonSchema } from '#src/inference/types.js';
import { dropOldest } from '#src/platform/bounded-map.js';

const OPTIONS = {
  strict: false,
  allErrors: false,
  validateFormats: false,
  logger: false,
  addUsedSchema: false,
  allowUnionTypes: true,
} as const;

const load = createRequire(import.meta.url);
let draft7: Ajv | undefined;
let draft2020: Ajv2020 | undefined;

/** Draft 2020-12 / 2019-09 schemas (zod 4's toJSONSchema) get the 2020 validator; the rest draft-07. */
function ajvFor(schema: JsonSchema): Ajv | Ajv2020 {
  const declared = typeof schema.$schema === 'string' ? schema.$schema : '';
  if (/2020-12|2019-09/.test(declared))
    return (draft2020 ??= new (load('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js')).Ajv2020(
      OPTIONS,
    ));
  return (draft7 ??= new (load('ajv') as typeof import('ajv')).Ajv(OPTIONS));
}

export type Compiled = { ok: true; validate: ValidateFunction } | { ok: false; error: string };

const CACHE_SIZE = 256;
const cache = new Map<string, { compiled: Compiled; ajv: Ajv | Ajv2020; schema: JsonSchema }>();

/**
 * A validator for a client schema, or why it cannot be compiled.
 * @example const c = compileSchema({ type: 'object', required: ['a'] }); c.ok && c.validate({}) // false
 */
export function compileSchema(schema: JsonSchema): Compiled {
  const text = JSON.stringify(schema);
  const key = createHash('sha256').update(text).digest('base64');
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit.compiled;
  }
  // ajv keys its own cache by object identity: compile a private copy without $schema (the dialect was chosen).
  const own = JSON.parse(text) as JsonSchema;
  const ajv = ajvFor(own);
  delete own.$schema;
  let compiled: Compiled;
  try {
    compiled = { ok: true, validate: ajv.compile(own) };
  } catch (err) {
    compiled = { ok: false, error: (err as Error).message.slice(0, 200) };
  }
  cache.set(key, { compiled, ajv, schema: own });
  for (const [, entry] of dropOldest(cache, CACHE_SIZE)) entry.ajv.removeSchema(entry.schema);
  return compiled;
}

/** The first validation error of the last run, in a short human form ("/city must be string"). */
export function describeErrors(validate: ValidateFunction): string {
  const first = validate.errors?.[0];
  if (!first) return 'does not match the schema';
  const where = first.instancePath || '(root)';
  const extra =
    first.keyword === 'additionalProperties'
      ? ` ("${String((first.params as { additionalProperty?: string }).additionalProperty)}")`
      : '';
  return `${where} ${first.message ?? 'is invalid'}${extra}`.slice(0, 300);
}

/** Number of compiled schemas held (for tests). */
export const cachedSchemas = () => cache.size;

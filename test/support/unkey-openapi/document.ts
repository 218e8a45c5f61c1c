/**
 * Unkey's published v2 OpenAPI document (the subset Portal calls, v2-subset.yaml) as validators: does a path
 * exist, which request fields does an operation take, which response fields does it document, and does a
 * request or response body match the schema for its path and status. Used by the drift test
 * (test/platform/unkey-openapi.test.ts) and by suites that run against the fake Unkey, so neither the fake
 * nor Portal's client can drift from the document silently.
 *
 * @example
 *   const doc = unkeyDocument();
 *   expect(doc.problems(fake.exchanges)).toEqual([]);
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

type Json = Record<string, unknown>;

export interface Exchange {
  path: string;
  request: unknown;
  status: number;
  response: unknown;
}

const file = fileURLToPath(new URL('./v2-subset.yaml', import.meta.url));

/**
 * `allOf` of object schemas merged into one (properties and required joined, additionalProperties false only
 * if every part says so): Unkey writes `allOf: [BaseError (additionalProperties: false), { errors }]`, which
 * read literally admits no `errors`; its code generator merges, and so does this (README.md).
 */
function mergeAllOf(node: unknown, schemas: Json): unknown {
  if (Array.isArray(node)) return node.map((n) => mergeAllOf(n, schemas));
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) out[k] = mergeAllOf(v, schemas);
  if (!Array.isArray(out.allOf)) return out;
  const parts = (out.allOf as Json[]).map((p) =>
    typeof p.$ref === 'string' ? (mergeAllOf(schemas[p.$ref.split('/').pop() ?? ''], schemas) as Json) : p,
  );
  const { allOf: _allOf, ...rest } = out;
  return {
    ...rest,
    type: 'object',
    properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
    required: [...new Set(parts.flatMap((p) => (p.required as string[] | undefined) ?? []))],
    ...(parts.every((p) => p.additionalProperties === false) ? { additionalProperties: false } : {}),
  };
}

export function unkeyDocument() {
  const raw = parse(readFileSync(file, 'utf8')) as Json;
  const schemas = (raw.components as Json).schemas as Json;
  const doc = mergeAllOf(raw, schemas) as Json;
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema({ ...doc, $id: 'unkey' });
  const paths = doc.paths as Record<string, { post?: Json }>;
  const resolved = (node: Json): Json =>
    typeof node.$ref === 'string' ? resolved(pointer(doc, node.$ref)) : node;
  const operation = (path: string) => paths[path]?.post;
  const validators = new Map<string, ValidateFunction>();
  const validator = (ref: string) => {
    let v = validators.get(ref);
    if (!v) {
      v = ajv.getSchema(`unkey#${ref}`);
      if (!v) throw new Error(`no schema at ${ref}`);
      validators.set(ref, v);
    }
    return v;
  };
  const requestRef = (path: string) =>
    (
      (
        ((resolved(operation(path)?.requestBody as Json).content as Json)['application/json'] as Json)
          .schema as Json
      ).$ref as string
    ).slice(1);
  const responseRef = (path: string, status: number): string | undefined => {
    const response = (operation(path)?.responses as Json | undefined)?.[String(status)] as Json | undefined;
    if (!response) return undefined;
    const schema = ((resolved(response).content as Json)['application/json'] as Json).schema as Json;
    return (schema.$ref as string).slice(1);
  };
  /** Property names of a schema (of its items, for an array). */
  const fieldsOf = (ref: string): string[] => {
    const s = resolved({ $ref: `#${ref}` });
    const object = s.type === 'array' ? resolved(s.items as Json) : s;
    return Object.keys((object.properties as Json | undefined) ?? {});
  };
  const check = (ref: string, body: unknown) => {
    const v = validator(ref);
    return v(body) ? [] : (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
  };
  return {
    hasOperation: (path: string) => operation(path) !== undefined,
    requestFields: (path: string) => fieldsOf(requestRef(path)),
    /** Fields of a schema named in components.schemas. */
    schemaFields: (name: string) => fieldsOf(`/components/schemas/${name}`),
    documentedStatuses: (path: string) => Object.keys((operation(path)?.responses as Json | undefined) ?? {}),
    /** What in these exchanges the document does not allow (empty when all match). */
    problems(exchanges: Exchange[]): string[] {
      return exchanges.flatMap(({ path, request, status, response }) => {
        if (!operation(path)) return [`${path}: not an operation of the document`];
        const out: string[] = [];
        // A 400 answers a body the document refuses; every other answer was to a valid request.
        if (status !== 400) out.push(...check(requestRef(path), request).map((e) => `${path} request ${e}`));
        const ref = responseRef(path, status);
        if (!ref) out.push(`${path}: status ${status} is not documented`);
        else out.push(...check(ref, response).map((e) => `${path} ${status} response ${e}`));
        return out;
      });
    },
  };
}

function pointer(doc: Json, ref: string): Json {
  let node: unknown = doc;
  for (const part of ref.replace(/^#\//, '').split('/'))
    node = (node as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  if (!node || typeof node !== 'object') throw new Error(`unresolved $ref ${ref}`);
  return node as Json;
}

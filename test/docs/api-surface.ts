/**
 * What the API offers, for checking the docs' code against it: read from the OpenAPI document the running
 * Portal serves (`GET /openapi.json`) — its paths and each operation's JSON request body, checked with ajv
 * against the document's own schemas. So a docs page can only name what the reference documents.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { TestPortal } from '../support/harness.js';

type Json = Record<string, unknown>;

export interface ApiSurface {
  /** "METHOD /path" with the document's `{param}` segments. */
  routes: Array<{ method: string; path: string }>;
  /** The top-level properties of each "METHOD /path" JSON request body. */
  params: Map<string, string[]>;
  /** The first problem the document's request schema finds in `body`, or null when it is valid. */
  check(endpoint: string, body: unknown): string | null;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export async function apiSurface(portal: TestPortal): Promise<ApiSurface> {
  const res = await portal.anon.get('/openapi.json');
  if (!res.ok) throw new Error(`/openapi.json answered ${res.status}`);
  const doc = (await res.json()) as { paths: Record<string, Record<string, Json>>; components: Json };
  const ajv = new Ajv2020({ strict: false, validateFormats: false, validateSchema: false });
  ajv.addSchema(doc, 'openapi');
  const routes: ApiSurface['routes'] = [];
  const params = new Map<string, string[]>();
  const validators = new Map<string, ValidateFunction>();
  for (const [path, item] of Object.entries(doc.paths))
    for (const method of METHODS.filter((m) => item[m])) {
      const endpoint = `${method.toUpperCase()} ${path}`;
      routes.push({ method: method.toUpperCase(), path });
      const body = item[method]!.requestBody as { content?: Record<string, { schema?: Json }> } | undefined;
      const schema = body?.content?.['application/json']?.schema;
      if (!schema) continue;
      params.set(endpoint, Object.keys(resolve(doc, schema).properties ?? {}));
      validators.set(
        endpoint,
        ajv.compile({
          $ref: `openapi#/paths/${pointer(path)}/${method}/requestBody/content/application~1json/schema`,
        }),
      );
    }
  return {
    routes,
    params,
    check(endpoint, body) {
      const validate = validators.get(endpoint);
      if (!validate) return `${endpoint} has no JSON request body in /openapi.json`;
      if (validate(body)) return null;
      const first = validate.errors?.[0];
      return `${first?.message ?? 'invalid'} at ${first?.instancePath || '/'}`;
    },
  };
}

/** A schema with its top-level `$ref` (to `#/components/schemas/…`) followed. */
function resolve(doc: Json, schema: Json): { properties?: Json } {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  let node: unknown = doc;
  for (const part of ref.replace(/^#\//, '').split('/'))
    node = (node as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return resolve(doc, node as Json);
}

const pointer = (path: string) => path.replace(/~/g, '~0').replace(/\//g, '~1');

/** The documented route a concrete path belongs to (`/v1/models/oss-20b` → `/v1/models/{id}`). */
export function routeFor(surface: ApiSurface, method: string, path: string) {
  return surface.routes.find((r) => {
    if (r.method !== method) return false;
    const pattern = r.path
      .split('/')
      .map((seg) => (/^\{.+\}$/.test(seg) ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    return new RegExp(`^${pattern}$`).test(path);
  });
}

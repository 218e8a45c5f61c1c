/**
 * GET /openapi.json against a validator and against the app itself: the document is valid OpenAPI 3.1, it
 * describes exactly the /v1, /api and /admin/api routes Hono registers, and every recorded real answer of
 * those routes (successes, errors and event streams) matches it — status, documented headers, content type
 * and body, checked with ajv against the document's own schemas.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { openApiPath } from '#src/product/openapi/operation.js';
import { usePortal } from '../support/harness.js';
import { recordExchanges, type Exchange } from './exchanges.js';

const PUBLIC_URL = 'http://portal.test';

type Json = Record<string, unknown>;
interface Doc {
  paths: Record<string, Record<string, Json>>;
  components: { headers: Record<string, Json> };
  servers: Array<{ url: string }>;
}

/** Routes the document describes: /v1, /api (better-auth's /api/auth/* aside, Portal's provider route kept) and
 * /admin/api. */
const described = (path: string) =>
  path.startsWith('/v1/') ||
  path.startsWith('/admin/api/') ||
  (path.startsWith('/api/') && (!path.startsWith('/api/auth/') || path === '/api/auth/provider'));

const pointer = (...parts: string[]) =>
  'openapi#/' + parts.map((p) => encodeURIComponent(p.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');

/** Server-sent events as [event name, data] pairs (comments and [DONE] left out). */
function events(text: string): Array<[string | undefined, unknown]> {
  return text
    .split('\n\n')
    .filter((block) => /^(event|data):/m.test(block))
    .flatMap((block) => {
      const name = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? '';
      return data === '[DONE]' ? [] : [[name, JSON.parse(data) as unknown] as [string | undefined, unknown]];
    });
}

describe('GET /openapi.json', () => {
  const portal = usePortal({ config: { server: { publicUrl: PUBLIC_URL } } });
  let doc: Doc;
  let res: Response;
  let exchanges: Exchange[];
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false, validateSchema: false });
  const compiled = new Map<string, ValidateFunction>();
  const validator = (ref: string) => {
    let fn = compiled.get(ref);
    if (!fn) compiled.set(ref, (fn = ajv.compile({ $ref: ref })));
    return fn;
  };
  const problemsOf = (fn: ValidateFunction, value: unknown) =>
    fn(value) ? [] : (fn.errors ?? []).slice(0, 3).map((e) => `${e.instancePath} ${e.message}`);

  beforeAll(async () => {
    res = await portal.anon.get('/openapi.json');
    doc = (await res.clone().json()) as Doc;
    ajv.addSchema(doc, 'openapi');
    exchanges = await recordExchanges(portal);
  }, 120_000);

  it('is public JSON with caching headers, and a 304 when unchanged', async () => {
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const etag = res.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    const again = await portal.anon.get('/openapi.json', { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(doc.servers[0]!.url).toBe(PUBLIC_URL);
  });

  it('passes an OpenAPI 3.1 validator', async () => {
    const result = await new Validator().validate(doc as unknown as Json);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('describes exactly the /v1, /api and /admin/api routes the app registers', () => {
    const registered = new Set(
      portal.app.routes
        .filter((r) => r.method !== 'ALL' && described(r.path))
        .map((r) => `${r.method.toLowerCase()} ${openApiPath(r.path)}`),
    );
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m} ${path}`)),
    );
    expect(registered.size).toBeGreaterThan(30);
    expect([...registered].filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((r) => !registered.has(r))).toEqual([]);
  });

  it('documents every real answer: status, headers, content type and body', () => {
    const problems = exchanges.flatMap((e) =>
      checkExchange(e).map((p) => `${e.method} ${e.route} ${e.status}: ${p}`),
    );
    expect(problems).toEqual([]);
  });

  it('was checked against a success and an error of every operation', () => {
    const seen = (ok: boolean) =>
      new Set(
        exchanges
          .filter((e) => e.status < 400 === ok)
          .map((e) => `${e.method.toLowerCase()} ${openApiPath(e.route)}`),
      );
    const [succeeded, failed] = [seen(true), seen(false)];
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((m) => `${m} ${path}`),
    );
    expect(operations.filter((o) => !succeeded.has(o))).toEqual([]);
    // The two public reads take no input and need no session: they have no error a caller can provoke.
    const noErrorCase = new Set(['get /api/auth/provider', 'get /api/docs']);
    expect(operations.filter((o) => !failed.has(o) && !noErrorCase.has(o))).toEqual([]);
  });

  function checkExchange(e: Exchange): string[] {
    const path = openApiPath(e.route);
    const method = e.method.toLowerCase();
    const responses = doc.paths[path]?.[method]?.responses as Record<string, Json> | undefined;
    if (!responses) return ['no operation'];
    const response = responses[String(e.status)];
    if (!response) return [`status not documented (${Object.keys(responses).join(', ')})`];
    const problems = checkHeaders(e, (response.headers ?? {}) as Record<string, Json>);
    const type = (e.headers.get('content-type') ?? '').split(';')[0]!.trim();
    const media = (response.content as Record<string, Json> | undefined)?.[type];
    if (!media) return [...problems, `content type ${type} not documented`];
    const at = ['paths', path, method, 'responses', String(e.status), 'content', type];
    if (!e.stream) return [...problems, ...problemsOf(validator(pointer(...at, 'schema')), e.body)];
    const eventSchema = validator(pointer(...at, 'x-event-schema'));
    const error = validator(pointer('components', 'schemas', 'Error'));
    const list = events(e.body as string);
    if (!list.length) problems.push('empty stream');
    for (const [, data] of list)
      if (!eventSchema(data) && !error(data)) problems.push(...problemsOf(eventSchema, data));
    return problems;
  }

  function checkHeaders(e: Exchange, headers: Record<string, Json>): string[] {
    return Object.entries(headers).flatMap(([name, spec]) => {
      const header = '$ref' in spec ? doc.components.headers[String(spec.$ref).split('/').pop()!]! : spec;
      const value = e.headers.get(name);
      if (value === null) return header.required ? [`header ${name} missing`] : [];
      const fn = ajv.compile(header.schema as Json);
      return fn(value) ? [] : [`header ${name}: ${value} does not match`];
    });
  }
});

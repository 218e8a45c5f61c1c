/**
 * The docs' code names only what the API reference documents (the `/openapi.json` the running Portal serves):
 * every endpoint a code block calls (a URL path, `$BASE_URL/…`, or an SDK call such as
 * `client.chat.completions.create`) is a documented operation, every curl body validates against that
 * operation's request schema, every argument an SDK call passes is a parameter of it, and the parameter tables
 * list only documented parameters.
 */
import { Lexer, type Tokens } from 'marked';
import { beforeAll, describe, expect, it } from 'vitest';
import { walkTokens } from '../../web/src/docs/markdown.js';
import { usePortal } from '../support/harness.js';
import { apiSurface, routeFor, type ApiSurface } from './api-surface.js';
import { loadPages } from './pages.js';

const pages = loadPages();
const blocks = pages.flatMap((p) =>
  p.facts.code.map((c, i) => ({ where: `${p.slug} block ${i + 1}`, ...c })),
);

/** SDK calls and the endpoint each one sends to. */
const SDK_CALLS: Array<[RegExp, string]> = [
  [/\bchat\.completions\.create\(/g, 'POST /v1/chat/completions'],
  [/(?<!chat\.)\bcompletions\.create\(/g, 'POST /v1/completions'],
  [/\bmessages\.(?:create|stream)\(/g, 'POST /v1/messages'],
];

/** Endpoints a code block calls: literal /v1 or /api paths, or paths after a base-URL variable. */
function endpointsIn(code: string): Array<{ method: string; path: string }> {
  const method = /-d '|--data|method: 'POST'/.test(code) ? 'POST' : 'GET';
  const paths = [
    ...[...code.matchAll(/\/(?:v1|api)\/[A-Za-z0-9_/{}.-]*[A-Za-z0-9_}]/g)].map((m) => m[0]),
    ...[...code.matchAll(/\$(?:\{[A-Z_]*BASE_URL\}|[A-Z_]*BASE_URL)(\/[a-z_/]+)/g)].map((m) => `/v1${m[1]}`),
  ].filter((p) => p !== '/v1/' && !/\/v1$/.test(p));
  return paths.map((path) => ({ method, path }));
}

/** The JSON body of each `-d '…'` in a shell block. */
function curlBodies(code: string): unknown[] {
  return [...code.matchAll(/-d '([^']*)'/g)].map((m) => JSON.parse(m[1]!));
}

/** The top-level argument names of the call whose "(" is at `open`: `key:` in a JS object, `key=` in Python. */
function callArguments(code: string, open: number): string[] {
  let depth = 0;
  const names: string[] = [];
  for (let i = open; i < code.length; i++) {
    const ch = code[i]!;
    if ('({['.includes(ch)) depth++;
    else if (')}]'.includes(ch) && --depth === 0) break;
    const topLevel =
      depth === 1 || (depth === 2 && code[open + 1 + code.slice(open + 1).search(/\S/)] === '{');
    if (!topLevel || !/[A-Za-z_]/.test(ch) || /[\w.]/.test(code[i - 1] ?? '')) continue;
    const m = /^([A-Za-z_]\w*)\s*(?::(?!:)|=(?!=))/.exec(code.slice(i));
    if (m && (code[i - 1] === '{' || /[\s,({]/.test(code[i - 1] ?? ''))) names.push(m[1]!);
  }
  return names;
}

describe('docs code blocks against the API', () => {
  const portal = usePortal();
  let surface: ApiSurface;

  beforeAll(async () => {
    surface = await apiSurface(portal);
  });

  it('finds endpoints, bodies and SDK calls to check (the checks below are not vacuous)', () => {
    expect(blocks.flatMap((b) => endpointsIn(b.text)).length).toBeGreaterThan(12);
    expect(blocks.flatMap((b) => curlBodies(b.text)).length).toBeGreaterThan(6);
    expect(
      blocks.filter((b) => SDK_CALLS.some(([re]) => new RegExp(re).test(b.text))).length,
    ).toBeGreaterThan(8);
  });

  it('every endpoint a code block names is a registered route', () => {
    const missing = blocks.flatMap((b) =>
      endpointsIn(b.text)
        .filter((e) => !routeFor(surface, e.method, e.path.replace('{id}', 'x')))
        .map((e) => `${b.where}: ${e.method} ${e.path}`),
    );
    expect(missing).toEqual([]);
  });

  it('every curl body parses with its endpoint request schema', () => {
    const problems: string[] = [];
    for (const b of blocks)
      for (const body of curlBodies(b.text)) {
        const endpoint = endpointsIn(b.text).find((e) => e.method === 'POST');
        const problem = endpoint
          ? surface.check(`POST ${endpoint.path}`, body)
          : 'a body without a POST endpoint in the block';
        if (problem) problems.push(`${b.where}: ${problem}`);
      }
    expect(problems).toEqual([]);
  });

  it('every argument of an SDK call is a parameter of its endpoint', () => {
    const problems: string[] = [];
    for (const b of blocks)
      for (const [re, endpoint] of SDK_CALLS) {
        const keys = surface.params.get(endpoint) ?? [];
        for (const m of b.text.matchAll(re)) {
          const args = callArguments(b.text, m.index + m[0].length - 1);
          if (!args.length) problems.push(`${b.where}: no arguments read from ${m[0]}`);
          for (const arg of args)
            if (!keys.includes(arg)) problems.push(`${b.where}: ${endpoint} has no "${arg}"`);
        }
      }
    expect(problems).toEqual([]);
  });

  it.each([
    ['chat-completions', 'POST /v1/chat/completions'],
    ['completions', 'POST /v1/completions'],
    ['messages', 'POST /v1/messages'],
  ])('the %s parameter table lists only real parameters', (slug, endpoint) => {
    const page = pages.find((p) => p.slug === slug)!;
    const keys = surface.params.get(endpoint) ?? [];
    const tables = new Lexer().lex(page.source).filter((t) => t.type === 'table') as Tokens.Table[];
    const table = tables.find((t) => t.header[0]?.text === 'parameter')!;
    const named: string[] = [];
    for (const row of table.rows)
      walkTokens(row[0]!.tokens, (t) => {
        if (t.type === 'codespan') named.push((t as Tokens.Codespan).text);
      });
    expect(named.length).toBeGreaterThan(5);
    expect(named.filter((n) => !keys.includes(n))).toEqual([]);
  });

  it('the argument reader sees top-level names only', () => {
    const js = "x.create({ model: 'a', messages: [{ role: 'user', content: 'b' }], stream: true })";
    expect(callArguments(js, js.indexOf('('))).toEqual(['model', 'messages', 'stream']);
    const py = 'x.create(model="a", messages=[{"role": "user"}], max_tokens=5)';
    expect(callArguments(py, py.indexOf('('))).toEqual(['model', 'messages', 'max_tokens']);
  });
});

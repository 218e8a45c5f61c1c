/**
 * Serves the dashboard (web/dist, built by `npm run build:web`) from the same server. Runs after routing: only
 * a GET that no route answered (404) and that is not an API path gets a file, or index.html for SPA routes.
 * /v1, /api, /admin/api and the health endpoints keep the kernel's JSON 404; /admin/* is the dashboard's
 * operations console (drawn for operators only: everyone else gets the dashboard's 404 page).
 */
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { MiddlewareHandler } from 'hono';

const API_PREFIXES = ['/v1', '/api', '/admin/api', '/healthz', '/readyz', '/metrics'];
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The dashboard's CSP: the Vite bundle is same-origin files only (no inline script or style element; React
 * sets styles through the CSSOM, which style-src does not govern); `csp` adds what the sign-in provider's SDK
 * needs in Clerk / Supabase mode (./auth/public-config.ts). `nonce`: Clerk's components (emotion) write
 * <style> elements, allowed only with this response's nonce. The kernel sets the other headers. */
const dashboardCsp = (extra: DashboardCspSources, nonce?: string) =>
  `default-src 'self'; script-src 'self'; style-src 'self'${nonce ? ` 'nonce-${nonce}'` : ''}; img-src 'self' data:; ` +
  `connect-src ${["'self'", ...extra.connect].join(' ')}; worker-src ${["'self'", ...extra.worker].join(' ')}; ` +
  "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/** The API reference page (/docs/reference, Redoc) styles itself through styled-components' <style> elements
 * and runs its search index in a worker built from a blob of its own bundle: inline styles and blob workers
 * are allowed there and nowhere else; scripts stay same-origin only (Redoc's CDN logo is refused). */
const referenceCspFor = (extra: DashboardCspSources) =>
  dashboardCsp({ connect: extra.connect, worker: [...new Set([...extra.worker, 'blob:'])] }).replace(
    "style-src 'self'",
    "style-src 'self' 'unsafe-inline'",
  );

/** What the sign-in provider's SDK needs beyond the dashboard's own origin. */
export interface DashboardCspSources {
  connect: string[];
  worker: string[];
  /** The SDK writes <style> elements (Clerk's components): each page gets a nonce for them, in the CSP and in
   * `<meta property="csp-nonce" nonce>` where the dashboard reads it (Vite's convention for the tag). */
  styleNonce?: boolean;
}

/** index.html with a fresh style nonce for this response, and that nonce. */
function withStyleNonce(html: Uint8Array): { body: Uint8Array<ArrayBuffer>; nonce: string } {
  const nonce = randomBytes(18).toString('base64');
  const tag = `<meta property="csp-nonce" nonce="${nonce}" />`;
  const text = new TextDecoder().decode(html).replace('<head>', `<head>\n    ${tag}`);
  return { body: new TextEncoder().encode(text), nonce };
}

export function serveDashboard(options: { root: string; csp?: DashboardCspSources }): MiddlewareHandler {
  const root = resolve(options.root);
  const sources = options.csp ?? { connect: [], worker: [] };
  const csp = dashboardCsp(sources);
  const referenceCsp = referenceCspFor(sources);
  return async function serveDashboard(c, next) {
    await next();
    if (c.res.status !== 404 || (c.req.method !== 'GET' && c.req.method !== 'HEAD')) return;
    const path = c.req.path;
    if (API_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`))) return;
    const file = await findFile(root, path);
    if (!file) return; // no build: keep the JSON 404
    let body: Uint8Array<ArrayBuffer> = await readFile(file);
    let nonce: string | undefined;
    if (sources.styleNonce && extname(file) === '.html') ({ body, nonce } = withStyleNonce(body));
    const immutable = file.includes(`${sep}assets${sep}`);
    c.res = new Response(c.req.method === 'HEAD' ? null : body, {
      status: 200,
      headers: {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      },
    });
    // After the assignment: Hono copies the 404's headers (the API CSP) onto a replaced response.
    c.header(
      'content-security-policy',
      path === '/docs/reference' ? referenceCsp : nonce ? dashboardCsp(sources, nonce) : csp,
    );
  };
}

async function findFile(root: string, path: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    decoded = '/';
  }
  const candidate = normalize(join(root, decoded));
  if (candidate.startsWith(root + sep) && extname(candidate) && (await isFile(candidate))) return candidate;
  if (extname(decoded) && decoded.startsWith('/assets/')) return null; // a missing asset is a real 404
  const index = join(root, 'index.html');
  return (await isFile(index)) ? index : null;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * GET /openapi.json — the OpenAPI document, public. Built and serialised once when the app is composed (the
 * schemas are static; only `server.publicUrl` varies), then answered from memory with an ETag, so a
 * revalidation is a 304 and the reference page reloads nothing that did not change.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Hono } from 'hono';
import type { AppEnv } from '#src/platform/http/context.js';
import { routeLabel } from '#src/platform/http/kernel.js';
import { fromRoot } from '#src/platform/paths.js';
import { buildOpenApiDocument } from './document.js';

const VERSION = (JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as { version: string }).version;

/** Serialised documents by public URL (tests compose many apps in one process). */
const built = new Map<string, { body: string; etag: string }>();

function documentFor(publicUrl: string | undefined) {
  const key = publicUrl ?? '';
  let entry = built.get(key);
  if (!entry) {
    const body = JSON.stringify(buildOpenApiDocument({ publicUrl, version: VERSION }));
    entry = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
    built.set(key, entry);
  }
  return entry;
}

export function registerOpenApi(app: Hono<AppEnv>, options: { publicUrl?: string }) {
  const { body, etag } = documentFor(options.publicUrl);
  app.get('/openapi.json', routeLabel('/openapi.json'), function openApiDocument(c) {
    c.header('etag', etag);
    c.header('cache-control', 'public, max-age=300, must-revalidate');
    // Public and read-only: API tools on other origins may load it.
    c.header('access-control-allow-origin', '*');
    if (c.req.header('if-none-match') === etag) return c.body(null, 304);
    c.header('content-type', 'application/json; charset=utf-8');
    return c.body(body);
  });
}

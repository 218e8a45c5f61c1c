/**
 * What the API offers, for checking the docs' code against it: the routes the app registers and each
 * endpoint's request parameters, from the zod schemas that validate the requests.
 *
 * TODO(openapi): once `GET /openapi.json` exists, make `apiSurface()` read it instead (paths → `routes`,
 * each operation's requestBody schema properties → `params`); the docs tests only call `apiSurface()`.
 */
import type { z } from 'zod';
import { createApp } from '../../src/app.js';
import { createKeyBody, updateKeyBody, usageQuery } from '../../src/contracts/index.js';
import { chatCompletionSchema, completionSchema } from '../../src/gateway/schemas/openai.js';
import { messagesSchema } from '../../src/gateway/schemas/anthropic.js';
import type { TestPortal } from '../support/portal.js';

export interface ApiSurface {
  /** "METHOD /path" with Hono's `:param` segments. */
  routes: Array<{ method: string; path: string }>;
  /** Request schema per "METHOD /path". */
  schemas: Map<string, z.ZodObject>;
}

export function apiSurface(portal: TestPortal): ApiSurface {
  const routes = createApp(portal.portal.services)
    .routes.filter((r) => r.method !== 'ALL')
    .map((r) => ({ method: r.method, path: r.path }));
  const schemas = new Map<string, z.ZodObject>([
    ['POST /v1/chat/completions', chatCompletionSchema],
    ['POST /v1/completions', completionSchema],
    ['POST /v1/messages', messagesSchema],
    ['POST /api/keys', createKeyBody],
    ['PATCH /api/keys/:id', updateKeyBody],
    ['GET /api/usage', usageQuery],
  ]);
  return { routes, schemas };
}

/** The registered route a concrete path belongs to (`/v1/models/oss-20b` → `/v1/models/:id{.+}`). */
export function routeFor(surface: ApiSurface, method: string, path: string) {
  return surface.routes.find((r) => {
    if (r.method !== method) return false;
    const pattern = r.path
      .split('/')
      .map((seg) =>
        seg.startsWith(':')
          ? seg.includes('{.+}')
            ? '.+'
            : '[^/]+'
          : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('/');
    return new RegExp(`^${pattern}$`).test(path);
  });
}

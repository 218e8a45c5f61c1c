/**
 * Admin API authentication: `Authorization: Bearer <PORTAL_ADMIN_TOKEN>` (CLI, operators' scripts). Without a
 * configured token the admin API answers 401 to everything. Compared in constant time.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../platform/http/context.js';
import { PortalError } from '../platform/http/errors.js';

export function requireAdmin(options: { token?: string }): MiddlewareHandler<AppEnv> {
  const expected = options.token ? digest(options.token) : undefined;
  return async function requireAdmin(c, next) {
    const header = c.req.header('authorization') ?? '';
    const presented = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!expected || !presented || !timingSafeEqual(digest(presented), expected))
      throw new PortalError({
        code: 'unauthorized',
        message: expected
          ? 'Admin token missing or wrong.'
          : 'The admin API is off: set PORTAL_ADMIN_TOKEN to enable it.',
      });
    await next();
  };
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

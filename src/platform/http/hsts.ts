/**
 * HTTP Strict Transport Security on every answer when the public origin is https: a browser that has seen
 * it once never sends a request (or the session cookie) over plain http to this host again. Not sent for
 * an http origin — it would lock browsers out of a development server.
 */
import type { MiddlewareHandler } from 'hono';

export const HSTS_VALUE = 'max-age=31536000; includeSubDomains';

export function hsts(): MiddlewareHandler {
  return async function hsts(c, next) {
    await next();
    try {
      c.res.headers.set('strict-transport-security', HSTS_VALUE);
    } catch {
      c.res = new Response(c.res.body, c.res); // e.g. Response.redirect(): immutable headers
      c.res.headers.set('strict-transport-security', HSTS_VALUE);
    }
  };
}

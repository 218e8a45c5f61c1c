/**
 * CSRF defence for every mutating /api route (auth included) and every session-authenticated /admin/api one: a browser's cross-site request is refused by
 * its Fetch Metadata (`Sec-Fetch-Site`) or its `Origin` (only the public origin is this site, never one
 * derived from the request), and form encodings — the only bodies a cross-site page can post without a
 * preflight — are refused outright. The session cookie is also SameSite=Lax.
 */
import type { MiddlewareHandler } from 'hono';
import { PortalError } from './errors.js';
import type { PublicOrigin } from '../config/public-origin.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

export function csrfGuard(options: { origin: PublicOrigin }): MiddlewareHandler {
  return async function csrfGuard(c, next) {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const reject = (why: string) => {
      throw new PortalError({ code: 'csrf_rejected', message: `Cross-site request refused: ${why}.` });
    };
    const fetchSite = c.req.header('sec-fetch-site');
    if (fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none')
      reject(`Sec-Fetch-Site is ${fetchSite}`);
    const origin = c.req.header('origin');
    if (origin && !options.origin.trusts(origin)) reject('the Origin is not this site');
    const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (FORM_TYPES.includes(type)) reject('form posts are not accepted; send JSON');
    await next();
  };
}

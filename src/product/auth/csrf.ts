/**
 * CSRF defence for every mutating /api route (auth included): a browser's cross-site request is refused by
 * its Fetch Metadata (`Sec-Fetch-Site`) or its `Origin`, and form encodings — the only bodies a cross-site
 * page can post without a preflight — are refused outright. The session cookie is also SameSite=Lax.
 */
import type { MiddlewareHandler } from 'hono';
import { PortalError } from '../../platform/http/errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

export function csrfGuard(options: { publicUrl?: string; trustProxy: boolean }): MiddlewareHandler {
  const configured = options.publicUrl ? new URL(options.publicUrl).origin : undefined;
  return async function csrfGuard(c, next) {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const reject = (why: string) => {
      throw new PortalError({ code: 'csrf_rejected', message: `Cross-site request refused: ${why}.` });
    };
    const fetchSite = c.req.header('sec-fetch-site');
    if (fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none')
      reject(`Sec-Fetch-Site is ${fetchSite}`);
    const origin = c.req.header('origin');
    if (origin && origin !== configured && origin !== requestOrigin(c.req.raw, options.trustProxy))
      reject('the Origin is not this site');
    const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (FORM_TYPES.includes(type)) reject('form posts are not accepted; send JSON');
    await next();
  };
}

function requestOrigin(req: Request, trustProxy: boolean): string {
  const url = new URL(req.url);
  if (trustProxy) {
    const proto = req.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
    const host = req.headers.get('x-forwarded-host')?.split(',')[0]?.trim();
    if (proto) url.protocol = `${proto}:`;
    if (host) url.host = host;
  }
  return url.origin;
}

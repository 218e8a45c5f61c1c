/**
 * Admin API authentication: `Authorization: Bearer <PORTAL_ADMIN_TOKEN>` (CLI, operators' scripts, Prometheus
 * on /metrics). Without a configured token the admin API answers 401 to everything. Compared in constant time.
 * In front of the comparison: `admin.allowIps` (403 from any other address) and a throttle of wrong tokens per
 * client address (429 until the window passes, the right token included). The token's strength is checked at
 * config load (`isStrongToken` in the config schema).
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../platform/http/context.js';
import { PortalError } from '../platform/http/errors.js';
import { blockListOf, isTrusted } from '../platform/http/client-ip.js';
import { dropOldest } from '../platform/bounded-map.js';

export interface AdminAuthOptions {
  token?: string;
  /** CIDRs the admin API answers from; absent: any address. */
  allowIps?: string[];
  /** Wrong tokens allowed per address per window (default 10 per 5 minutes). */
  maxFailures?: number;
  windowMs?: number;
  /** Addresses remembered at most (least recently seen forgotten first). */
  maxAddresses?: number;
}

export function requireAdmin(options: AdminAuthOptions): MiddlewareHandler<AppEnv> {
  const expected = options.token ? digest(options.token) : undefined;
  const allowed = options.allowIps?.length ? blockListOf(options.allowIps) : undefined;
  const failures = createFailureCounter(options);
  return async function requireAdmin(c, next) {
    const ip = c.get('clientIp');
    if (allowed && !isTrusted(allowed, ip))
      throw new PortalError({
        code: 'forbidden',
        message: 'The admin API is not available from this address.',
      });
    const wait = failures.blockedFor(ip);
    if (wait > 0)
      throw new PortalError({
        code: 'rate_limit_exceeded',
        message: 'Too many wrong admin tokens from this address. Wait and retry.',
        headers: { 'retry-after': String(Math.ceil(wait / 1000)) },
      });
    const header = c.req.header('authorization') ?? '';
    const presented = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!expected || !presented || !timingSafeEqual(digest(presented), expected)) {
      if (expected && presented) failures.record(ip);
      throw new PortalError({
        code: 'unauthorized',
        message: expected
          ? 'Admin token missing or wrong.'
          : 'The admin API is off: set PORTAL_ADMIN_TOKEN to enable it.',
      });
    }
    await next();
  };
}

/** Wrong tokens per address in a fixed window, in a Map kept in least-recently-seen order and bounded. */
function createFailureCounter(options: AdminAuthOptions) {
  const max = options.maxFailures ?? 10;
  const windowMs = options.windowMs ?? 5 * 60_000;
  const capacity = options.maxAddresses ?? 10_000;
  const seen = new Map<string, { count: number; until: number }>();
  return {
    blockedFor(ip: string, now = Date.now()): number {
      const entry = seen.get(ip);
      if (!entry) return 0;
      if (entry.until <= now) {
        seen.delete(ip);
        return 0;
      }
      return entry.count >= max ? entry.until - now : 0;
    },
    record(ip: string, now = Date.now()): void {
      const entry = seen.get(ip);
      seen.delete(ip);
      const next = entry && entry.until > now ? entry : { count: 0, until: now + windowMs };
      next.count++;
      seen.set(ip, next);
      dropOldest(seen, capacity);
    },
  };
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

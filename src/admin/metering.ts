/**
 * Admin API — GET /admin/api/metering: the usage writer's numbers (queue depth, spool size, batch latency,
 * write failures, events written), the same ones /metrics exports.
 */
import type { Hono } from 'hono';
import type { Metering } from '../platform/metering/types.js';
import type { AppEnv } from '../platform/http/context.js';
import { routeLabel } from '../platform/http/kernel.js';

export function registerAdminMetering(admin: Hono<AppEnv>, { metering }: { metering: Metering }) {
  admin.get('/metering', routeLabel('/admin/api/metering'), (c) =>
    c.json(metering.stats?.() ?? { state: 'unknown' }),
  );
}

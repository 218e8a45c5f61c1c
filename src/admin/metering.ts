/**
 * Admin API — GET /admin/api/metering: the usage writer's numbers (queue depth, spool size, batch latency,
 * write failures, events written), the same ones /metrics exports.
 */
import type { AdminApi } from './context.js';
import type { Metering } from '../platform/metering/types.js';
import { routeLabel } from '../platform/http/kernel.js';

export function registerAdminMetering(admin: AdminApi, { metering }: { metering: Metering }) {
  admin.get('/metering', routeLabel('/admin/api/metering'), (c) =>
    c.json(metering.stats?.() ?? { state: 'unknown' }),
  );
}

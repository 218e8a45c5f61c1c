/**
 * The admin API under /admin/api: operators disable keys, accounts and models, drain pools, add and change
 * routers, and inspect organizations, request logs, usage, quota state and the audit log. Every route needs
 * the admin token or an admin's dashboard session (./auth.ts) and every change is written to the audit log
 * with who acted, why, and the state before and after. One file per area registers its routes here.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import type { Services } from '../app.js';
import type { AppEnv } from '../platform/http/context.js';
import type { AdminEnv } from './context.js';
import { registerAdminUsers } from './users.js';
import { registerAdminKeys } from './keys.js';
import { registerAdminOrgs } from './orgs.js';
import { registerAdminMetering } from './metering.js';
import { registerAdminPlans } from './plans.js';
import { registerAdminPools } from './pools.js';
import { registerAdminModels } from './models.js';
import { registerAdminRequests } from './requests.js';
import { registerAdminAudit } from './audit.js';

/**
 * Mounts the admin API behind `guard`, the admin gate (`createAdminAuth(…).api` in ./auth.ts) the composition
 * root builds once per app, so its throttle of wrong tokens is shared with /metrics and /readyz.
 */
export function registerAdmin(app: Hono<AppEnv>, services: Services, guard: MiddlewareHandler<AdminEnv>) {
  const admin = new Hono<AdminEnv>();
  admin.use('*', guard);
  // Each area is given the services it uses, all built once by the composition root.
  const { store, bus, keys, accounts, plans, ledger, inference, gateway, metering } = services;
  const db = store.db;
  registerAdminUsers(admin, { db, accounts });
  registerAdminKeys(admin, { db, keys, accounts });
  registerAdminOrgs(admin, { store, bus, ledger, defaultPlanId: services.config.defaultPlan });
  registerAdminMetering(admin, { metering });
  registerAdminPlans(admin, { db, plans, ledger });
  registerAdminPools(admin, { store, bus, inference });
  registerAdminModels(admin, {
    db,
    bus,
    canServe: (id) => inference.canServe(id),
    poolsServing: (id) => inference.snapshot().flatMap((p) => (p.models.includes(id) ? [p.id] : [])),
  });
  registerAdminRequests(admin, { db, windows: (orgId) => gateway.windows(orgId) });
  registerAdminAudit(admin, { db });
  app.route('/admin/api', admin as unknown as Hono<AppEnv>);
}

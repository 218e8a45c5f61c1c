/**
 * GET /api/account — who is signed in, the organization they act for, its plan, whether the inference
 * backend is the demo pool (the dashboard shows a small note then) and whether the user is an admin (the
 * dashboard shows the operations console then).
 */
import { and, eq } from 'drizzle-orm';
import { routeLabel } from '#src/platform/http/kernel.js';
import { organizations, routerPools } from '#src/platform/store/schema.js';
import type { PortalConfig } from '#src/platform/config/schema.js';
import type { Db } from '#src/platform/store/db.js';
import type { Accounts } from '#src/domain/accounts.js';
import { isAdminUser } from '#src/domain/admins.js';
import type { ProductApi } from '../deps.js';

export interface GetAccountDeps {
  db: Db;
  accounts: Accounts;
  config: PortalConfig;
}

export function registerGetAccount(api: ProductApi, { db, accounts, config }: GetAccountDeps) {
  api.get('/account', routeLabel('/api/account'), async (c) => {
    const orgId = c.get('orgId');
    const [org] = await db.select().from(organizations).where(eq(organizations.id, orgId)).limit(1);
    const plan = await accounts.activePlan(orgId);
    const demoPools = await db
      .select({ id: routerPools.id })
      .from(routerPools)
      .where(and(eq(routerPools.isDemo, true), eq(routerPools.state, 'active')))
      .limit(1);
    const user = c.get('user');
    return c.json({
      user: { id: user.id, email: user.email, name: user.name },
      organization: { id: orgId, name: org?.name ?? '', status: org?.status ?? 'active' },
      role: c.get('role'),
      plan: { id: plan.id, name: plan.name, kind: plan.kind, max_active_keys: plan.maxActiveKeys },
      auth_provider: config.auth.provider,
      demo_backend: demoPools.length > 0 || config.pools.length === 0,
      // The session middleware refused a disabled user already.
      is_admin: isAdminUser({ ...user, status: 'active' }, config.admin.emails),
    });
  });
}

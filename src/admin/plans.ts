/**
 * Admin API — plans and the billing ledger:
 *   GET  /admin/api/plans                 every plan with limits and models
 *   POST /admin/api/orgs/:id/plan         {plan_id, reason?} → ends the active subscription, starts a new one
 *                                          (audited; `plan.changed` on the bus, the gateway follows in < 1 s)
 *   GET  /admin/api/orgs/:id/ledger       balance (sum of the ledger) and the newest entries
 *   POST /admin/api/orgs/:id/ledger       {kind: grant|adjustment|refund, amount_micros, description, reason?}
 * Both audited with the operator's reason and the plan / balance before and after.
 */
import { eq } from 'drizzle-orm';
import type { AdminApi } from './context.js';
import { changePlanBody, ledgerEntryBody } from '../contracts/index.js';
import type { Ledger } from '../platform/billing/ledger.js';
import type { Plans } from '../platform/billing/plans.js';
import type { Db } from '../platform/store/db.js';
import { PortalError } from '../platform/http/errors.js';
import { routeLabel } from '../platform/http/kernel.js';
import { organizations } from '../platform/store/schema.js';
import { parseJsonBody } from '../platform/http/body.js';
import { adminActor } from './actor.js';

export interface AdminPlansDeps {
  db: Db;
  plans: Plans;
  ledger: Ledger;
}

export function registerAdminPlans(admin: AdminApi, { db, plans, ledger }: AdminPlansDeps) {
  async function requireOrg(id: string) {
    const [org] = await db
      .select({ id: organizations.id })
      .from(organizations)
      .where(eq(organizations.id, id))
      .limit(1);
    if (!org) throw new PortalError({ code: 'not_found', message: `No organization ${id}.` });
    return org.id;
  }

  admin.get('/plans', routeLabel('/admin/api/plans'), async (c) => c.json({ plans: await plans.list() }));

  admin.post('/orgs/:id/plan', routeLabel('/admin/api/orgs/:id/plan'), async (c) => {
    const orgId = await requireOrg(c.req.param('id'));
    const { plan_id, reason } = await parseJsonBody(c, changePlanBody);
    const result = await plans.change({ orgId, planId: plan_id, actor: adminActor(c), reason });
    if (!result.ok)
      throw new PortalError({ code: 'not_found', message: `No plan ${plan_id}.`, param: 'plan_id' });
    return c.json({
      org_id: orgId,
      plan_id,
      previous_plan_id: result.previousPlanId,
      subscription_id: result.subscriptionId,
    });
  });

  admin.get('/orgs/:id/ledger', routeLabel('/admin/api/orgs/:id/ledger'), async (c) => {
    const orgId = await requireOrg(c.req.param('id'));
    const [balance, entries] = await Promise.all([ledger.balance(orgId), ledger.list(orgId, 200)]);
    return c.json({ org_id: orgId, balance_micros: balance, entries });
  });

  admin.post('/orgs/:id/ledger', routeLabel('/admin/api/orgs/:id/ledger'), async (c) => {
    const orgId = await requireOrg(c.req.param('id'));
    const body = await parseJsonBody(c, ledgerEntryBody);
    const entry = await ledger.append(
      { orgId, kind: body.kind, amountMicros: body.amount_micros, description: body.description },
      adminActor(c),
      body.reason,
    );
    return c.json({ entry, balance_micros: await ledger.balance(orgId) }, 201);
  });
}

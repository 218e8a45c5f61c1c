/**
 * Admin API — plans and the billing ledger:
 *   GET  /admin/api/plans                 every plan with limits and models
 *   POST /admin/api/orgs/:id/plan         {plan_id} → ends the active subscription, starts a new one
 *                                          (audited; `plan.changed` on the bus, the gateway follows in < 1 s)
 *   GET  /admin/api/orgs/:id/ledger       balance (sum of the ledger) and the newest entries
 *   POST /admin/api/orgs/:id/ledger       {kind: grant|adjustment|refund, amount_micros, description}
 */
import { eq } from 'drizzle-orm';
import type { Hono } from 'hono';
import type { Services } from '../app.js';
import { changePlanBody, ledgerEntryBody } from '../contracts/index.js';
import { appendLedgerEntry, ledgerBalance, listLedger } from '../platform/billing/ledger.js';
import { changePlan, listPlans } from '../platform/billing/plans.js';
import type { AppEnv } from '../platform/http/context.js';
import { PortalError } from '../platform/http/errors.js';
import { routeLabel } from '../platform/http/kernel.js';
import { organizations } from '../platform/store/schema.js';
import { adminActor, recordAudit } from '../product/audit.js';
import { parseJsonBody } from '../product/validation.js';

export function registerAdminPlans(admin: Hono<AppEnv>, services: Services) {
  const { store, bus, credits } = services;

  async function requireOrg(id: string) {
    const [org] = await store.db
      .select({ id: organizations.id })
      .from(organizations)
      .where(eq(organizations.id, id))
      .limit(1);
    if (!org) throw new PortalError({ code: 'not_found', message: `No organization ${id}.` });
    return org.id;
  }

  admin.get('/plans', routeLabel('/admin/api/plans'), async (c) =>
    c.json({ plans: await listPlans(store.db) }),
  );

  admin.post('/orgs/:id/plan', routeLabel('/admin/api/orgs/:id/plan'), async (c) => {
    const orgId = await requireOrg(c.req.param('id'));
    const { plan_id } = await parseJsonBody(c, changePlanBody);
    const result = await changePlan(store.db, bus, { orgId, planId: plan_id, actor: adminActor(c) });
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
    const [balance, entries] = await Promise.all([
      ledgerBalance(store.query, orgId),
      listLedger(store.query, orgId, 200),
    ]);
    return c.json({ org_id: orgId, balance_micros: balance, entries });
  });

  admin.post('/orgs/:id/ledger', routeLabel('/admin/api/orgs/:id/ledger'), async (c) => {
    const orgId = await requireOrg(c.req.param('id'));
    const body = await parseJsonBody(c, ledgerEntryBody);
    const actor = adminActor(c);
    const entry = await appendLedgerEntry(store.query, {
      orgId,
      kind: body.kind,
      amountMicros: body.amount_micros,
      description: body.description,
      createdBy: actor.kind,
    });
    await credits.applyLedgerEntry(orgId, body.amount_micros);
    await recordAudit(store.db, {
      actor,
      orgId,
      action: `ledger.${body.kind}`,
      targetType: 'organization',
      targetId: orgId,
      details: { entry: entry.id, amount_micros: body.amount_micros },
    });
    return c.json({ entry, balance_micros: await ledgerBalance(store.query, orgId) }, 201);
  });
}

/**
 * GET /api/plan — the organization's plan (limits, models, price), its credit balance (credits plans only;
 * derived from the ledger, minus open reservations), the newest ledger entries and every plan to compare.
 */
import type { Hono } from 'hono';
import type { Services } from '../../app.js';
import type { PlanResponse } from '../../contracts/index.js';
import { listLedger } from '../../platform/billing/ledger.js';
import { currentPlanId, listPlans } from '../../platform/billing/plans.js';
import { routeLabel } from '../../platform/http/kernel.js';
import type { ProductEnv } from '../context.js';

export type { PlanResponse } from '../../contracts/index.js';

export function registerPlanRoutes(api: Hono<ProductEnv>, services: Services) {
  api.get('/plan', routeLabel('/api/plan'), async (c) => c.json(await planFor(services, c.get('orgId'))));
}

export async function planFor(services: Services, orgId: string): Promise<PlanResponse> {
  const { store, config, credits } = services;
  const [planId, plans, ledger] = await Promise.all([
    currentPlanId(store.db, orgId, config.defaultPlan),
    listPlans(store.db),
    listLedger(store.query, orgId, 50),
  ]);
  const plan = plans.find((p) => p.id === planId) ?? plans[0];
  if (!plan) throw new Error('no plans in the store');
  const balance = plan.kind === 'credits' ? await credits.balance(orgId) : null;
  return { plan, balance_micros: balance, ledger, plans };
}

/**
 * GET /api/plan — the organization's plan (limits, models, price), its credit balance (credits plans only;
 * derived from the ledger, minus open reservations), the newest ledger entries and every plan to compare.
 */
import type { Hono } from 'hono';
import type { PlanResponse } from '#src/contracts/index.js';
import type { Ledger } from '#src/platform/billing/ledger.js';
import type { Plans } from '#src/platform/billing/plans.js';
import type { Credits } from '#src/platform/billing/types.js';
import { routeLabel } from '#src/platform/http/kernel.js';
import type { ProductEnv } from '../context.js';

export type { PlanResponse } from '#src/contracts/index.js';

export interface PlanDeps {
  plans: Plans;
  ledger: Pick<Ledger, 'list'>;
  credits: Pick<Credits, 'balance'>;
}

export function registerPlanRoutes(api: Hono<ProductEnv>, deps: PlanDeps) {
  api.get('/plan', routeLabel('/api/plan'), async (c) => c.json(await planFor(deps, c.get('orgId'))));
}

export async function planFor(deps: PlanDeps, orgId: string): Promise<PlanResponse> {
  const [planId, plans, ledger] = await Promise.all([
    deps.plans.currentId(orgId),
    deps.plans.list(),
    deps.ledger.list(orgId, 50),
  ]);
  const plan = plans.find((p) => p.id === planId) ?? plans[0];
  if (!plan) throw new Error('no plans in the store');
  const balance = plan.kind === 'credits' ? await deps.credits.balance(orgId) : null;
  return { plan, balance_micros: balance, ledger, plans };
}

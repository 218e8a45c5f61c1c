/**
 * Plans as the Plan page and the admin API see them, and plan changes. A change ends the active
 * `plan_subscriptions` row and starts a new one in one transaction (history is kept), is audited, and is
 * announced as `plan.changed` on the bus so every gateway instance drops its cached policy at once.
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Bus } from '../bus/types.js';
import { newId } from '../ids.js';
import { inTransaction, type Db } from '../store/db.js';
import { modelAccessPolicies, models, planSubscriptions, plans } from '../store/schema.js';
import { recordAudit, type Actor } from '../audit.js';

export interface PlanView {
  id: string;
  name: string;
  kind: 'free' | 'monthly_quota' | 'credits';
  limits: {
    requests_per_minute: number | null;
    tokens_per_minute: number | null;
    requests_per_day: number | null;
    tokens_per_day: number | null;
  };
  monthly_tokens: number | null;
  max_active_keys: number;
  /** Model ids the plan may call ("*" expanded to the enabled catalog). */
  models: string[];
  price_micros_per_month: number;
}

type PlanRow = typeof plans.$inferSelect;

/** Every plan, default first, with its allowed models. */
export async function listPlans(db: Db): Promise<PlanView[]> {
  const [rows, policies, enabled] = await Promise.all([
    db.select().from(plans).orderBy(asc(plans.priceMicrosPerMonth), asc(plans.id)),
    db
      .select({ planId: modelAccessPolicies.planId, modelId: modelAccessPolicies.modelId })
      .from(modelAccessPolicies)
      .where(and(isNull(modelAccessPolicies.orgId), eq(modelAccessPolicies.effect, 'allow'))),
    db
      .select({ id: models.id })
      .from(models)
      .where(eq(models.status, 'enabled'))
      .orderBy(asc(models.sortOrder)),
  ]);
  const catalog = enabled.map((m) => m.id);
  const allowed = (planId: string) => {
    const ids = policies.filter((p) => p.planId === planId).map((p) => p.modelId);
    return ids.includes('*') ? catalog : catalog.filter((id) => ids.includes(id));
  };
  return rows
    .sort((a, b) => Number(b.isDefault) - Number(a.isDefault))
    .map((p) => planView(p, allowed(p.id)));
}

function planView(p: PlanRow, modelIds: string[]): PlanView {
  return {
    id: p.id,
    name: p.name,
    kind: p.kind,
    limits: {
      requests_per_minute: p.requestsPerMinute,
      tokens_per_minute: p.tokensPerMinute,
      requests_per_day: p.requestsPerDay,
      tokens_per_day: p.tokensPerDay,
    },
    monthly_tokens: p.monthlyTokens,
    max_active_keys: p.maxActiveKeys,
    models: modelIds,
    price_micros_per_month: p.priceMicrosPerMonth,
  };
}

/** The organization's plan id: its active subscription, else the default plan. */
export async function currentPlanId(db: Db, orgId: string, defaultPlanId: string): Promise<string> {
  const [row] = await db
    .select({ planId: planSubscriptions.planId })
    .from(planSubscriptions)
    .where(and(eq(planSubscriptions.orgId, orgId), eq(planSubscriptions.status, 'active')))
    .limit(1);
  return row?.planId ?? defaultPlanId;
}

export interface PlanChange {
  orgId: string;
  planId: string;
  actor: Actor;
  /** Why (recorded in the audit entry). */
  reason?: string;
}

export type PlanChangeResult =
  | { ok: true; subscriptionId: string; previousPlanId: string | null }
  | { ok: false; reason: 'unknown_plan' | 'unknown_org' };

/**
 * Moves an organization to another plan.
 * Example: await changePlan(db, bus, { orgId, planId: 'credits', actor: { kind: 'admin', id: null } })
 */
export async function changePlan(db: Db, bus: Bus, change: PlanChange): Promise<PlanChangeResult> {
  const [plan] = await db.select({ id: plans.id }).from(plans).where(eq(plans.id, change.planId)).limit(1);
  if (!plan) return { ok: false, reason: 'unknown_plan' };
  const result = await inTransaction(db, async (tx) => {
    const ended = await tx
      .update(planSubscriptions)
      .set({ status: 'ended', endedAt: new Date() })
      .where(and(eq(planSubscriptions.orgId, change.orgId), eq(planSubscriptions.status, 'active')))
      .returning({ planId: planSubscriptions.planId });
    const subscriptionId = newId('sub');
    await tx.insert(planSubscriptions).values({
      id: subscriptionId,
      orgId: change.orgId,
      planId: change.planId,
      changedBy: change.actor.id ?? change.actor.kind,
    });
    const previousPlanId = ended[0]?.planId ?? null;
    await recordAudit(tx, {
      actor: change.actor,
      orgId: change.orgId,
      action: 'plan.changed',
      targetType: 'organization',
      targetId: change.orgId,
      details: { from: previousPlanId, to: change.planId, subscription: subscriptionId },
      reason: change.reason,
      before: { plan_id: previousPlanId },
      after: { plan_id: change.planId },
    });
    return { ok: true as const, subscriptionId, previousPlanId };
  });
  await bus.publish({ type: 'plan.changed', orgId: change.orgId, planId: change.planId });
  return result;
}

/** Plans of the running process, built once in the composition root. */
export interface Plans {
  list(): Promise<PlanView[]>;
  /** The organization's plan id: its active subscription, else the default plan. */
  currentId(orgId: string): Promise<string>;
  change(change: PlanChange): Promise<PlanChangeResult>;
}

export function createPlans(deps: { db: Db; bus: Bus; defaultPlanId: string }): Plans {
  const { db, bus, defaultPlanId } = deps;
  return {
    list: () => listPlans(db),
    currentId: (orgId) => currentPlanId(db, orgId, defaultPlanId),
    change: (change) => changePlan(db, bus, change),
  };
}

/**
 * Organization policy on the hot path: account status, the active plan's limits, and which models the plan
 * (and per-organization overrides) allow. Cached per instance like keys; `org.changed` and `plan.changed` on
 * the bus evict at once.
 */
import { and, eq, isNull, or, desc } from 'drizzle-orm';
import type { Bus } from '../platform/bus/types.js';
import type { Store } from '../platform/store/db.js';
import { modelAccessPolicies, organizations, planSubscriptions, plans } from '../platform/store/schema.js';
import { TtlCache } from './keys/cache.js';
import type { KeyRecord } from './keys/verify.js';

export interface PlanLimits {
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
  requestsPerDay: number | null;
  tokensPerDay: number | null;
  monthlyTokens: number | null;
}

export interface OrgPolicy {
  orgId: string;
  status: 'active' | 'disabled';
  plan: { id: string; name: string; kind: 'free' | 'monthly_quota' | 'credits' } & PlanLimits;
  models: { all: boolean; allow: ReadonlySet<string>; deny: ReadonlySet<string> };
}

export interface PolicyCache {
  get(orgId: string): Promise<OrgPolicy | undefined>;
  close(): void;
}

export function createPolicyCache(options: {
  store: Store;
  bus: Bus;
  defaultPlanId: string;
  ttlMs: number;
}): PolicyCache {
  const cache = new TtlCache<OrgPolicy>({
    ttlMs: options.ttlMs,
    negativeTtlMs: 5_000,
    maxEntries: 100_000,
    load: (orgId) => loadPolicy(options.store, orgId, options.defaultPlanId),
  });
  const unsubscribe = options.bus.subscribe((m) => {
    if (m.type === 'org.changed') cache.delete(m.orgId);
    else if (m.type === 'plan.changed') {
      if (m.orgId) cache.delete(m.orgId);
      else cache.clear();
    } else if (m.type === 'cache.flush') cache.clear();
  });
  return { get: (orgId) => cache.get(orgId), close: unsubscribe };
}

export type Entitlement = { ok: true } | { ok: false; reason: 'plan' | 'key' };

/** Whether this key of this organization may call the model. */
export function checkEntitlement(policy: OrgPolicy, key: KeyRecord, modelId: string): Entitlement {
  const { models } = policy;
  if (models.deny.has(modelId) || models.deny.has('*')) return { ok: false, reason: 'plan' };
  if (!models.all && !models.allow.has(modelId)) return { ok: false, reason: 'plan' };
  if (key.scopes && !key.scopes.includes(modelId)) return { ok: false, reason: 'key' };
  return { ok: true };
}

async function loadPolicy(
  store: Store,
  orgId: string,
  defaultPlanId: string,
): Promise<OrgPolicy | undefined> {
  const { db } = store;
  const [org] = await db
    .select({ id: organizations.id, status: organizations.status })
    .from(organizations)
    .where(eq(organizations.id, orgId));
  if (!org) return undefined;
  const [subscription] = await db
    .select({ planId: planSubscriptions.planId })
    .from(planSubscriptions)
    .where(and(eq(planSubscriptions.orgId, orgId), eq(planSubscriptions.status, 'active')))
    .orderBy(desc(planSubscriptions.startedAt))
    .limit(1);
  const planId = subscription?.planId ?? defaultPlanId;
  const [plan] = await db.select().from(plans).where(eq(plans.id, planId));
  if (!plan) throw new Error(`organization ${orgId} is on unknown plan ${planId}`);
  const rules = await db
    .select({
      modelId: modelAccessPolicies.modelId,
      effect: modelAccessPolicies.effect,
      orgId: modelAccessPolicies.orgId,
    })
    .from(modelAccessPolicies)
    .where(
      or(
        and(eq(modelAccessPolicies.planId, planId), isNull(modelAccessPolicies.orgId)),
        eq(modelAccessPolicies.orgId, orgId),
      ),
    );
  const allow = new Set<string>();
  const deny = new Set<string>();
  for (const r of rules) (r.effect === 'allow' ? allow : deny).add(r.modelId);
  // An organization-level allow overrides the plan; an organization-level deny wins over everything.
  return {
    orgId,
    status: org.status,
    plan: {
      id: plan.id,
      name: plan.name,
      kind: plan.kind,
      requestsPerMinute: plan.requestsPerMinute,
      tokensPerMinute: plan.tokensPerMinute,
      requestsPerDay: plan.requestsPerDay,
      tokensPerDay: plan.tokensPerDay,
      monthlyTokens: plan.monthlyTokens,
    },
    models: { all: allow.has('*'), allow, deny },
  };
}

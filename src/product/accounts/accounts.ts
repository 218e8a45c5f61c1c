/**
 * Accounts: every user acts for an organization. Sign-up (or first sight of a Clerk / Supabase user) creates
 * a personal organization with the user as owner and an active subscription to the default plan. Keys, usage,
 * plan and limits belong to the organization; members and roles are in the model so teams can come later.
 *
 * @example
 *   const m = await ensurePersonalOrg(db, { id: user.id, name: user.name, email: user.email }, 'free');
 *   m.orgId // -> "org_…", m.role // -> "owner"
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/store/db.js';
import {
  organizationMembers,
  organizations,
  planSubscriptions,
  plans,
  users,
} from '../../platform/store/schema.js';
import { newId } from '../../platform/ids.js';

export type Role = 'owner' | 'admin' | 'member';

export interface Membership {
  orgId: string;
  role: Role;
  orgStatus: 'active' | 'disabled';
}

/** The user's first (oldest) membership, or null. */
export async function findMembership(db: Db, userId: string): Promise<Membership | null> {
  const rows = await db
    .select({
      orgId: organizationMembers.orgId,
      role: organizationMembers.role,
      orgStatus: organizations.status,
    })
    .from(organizationMembers)
    .innerJoin(organizations, eq(organizations.id, organizationMembers.orgId))
    .where(eq(organizationMembers.userId, userId))
    .orderBy(asc(organizationMembers.createdAt))
    .limit(1);
  return rows[0] ?? null;
}

/** Returns the user's membership, creating a personal organization + default-plan subscription when absent. */
export async function ensurePersonalOrg(
  db: Db,
  user: { id: string; name: string; email: string },
  defaultPlanId: string,
): Promise<Membership> {
  const existing = await findMembership(db, user.id);
  if (existing) return existing;
  const orgId = newId('org');
  await db.transaction(async (tx) => {
    // Serialise concurrent first requests of one user: the loser sees the winner's membership afterwards.
    await tx.execute(sql`select id from users where id = ${user.id} for update`);
    const again = await tx
      .select({ orgId: organizationMembers.orgId })
      .from(organizationMembers)
      .where(eq(organizationMembers.userId, user.id))
      .limit(1);
    if (again.length) return;
    await tx.insert(organizations).values({ id: orgId, name: personalOrgName(user) });
    await tx.insert(organizationMembers).values({ orgId, userId: user.id, role: 'owner' });
    await tx
      .insert(planSubscriptions)
      .values({ id: newId('sub'), orgId, planId: defaultPlanId, changedBy: 'signup' });
  });
  const created = await findMembership(db, user.id);
  if (!created) throw new Error(`personal organization for ${user.id} was not created`);
  return created;
}

function personalOrgName(user: { name: string; email: string }): string {
  const base = user.name.trim() || user.email.split('@')[0] || 'Personal';
  return `${base.slice(0, 80)}'s organization`;
}

export interface OrgPlan {
  id: string;
  name: string;
  kind: 'free' | 'monthly_quota' | 'credits';
  maxActiveKeys: number;
}

/** The organization's active plan; the default plan when it has no active subscription. */
export async function activePlan(db: Db, orgId: string, defaultPlanId: string): Promise<OrgPlan> {
  const select = { id: plans.id, name: plans.name, kind: plans.kind, maxActiveKeys: plans.maxActiveKeys };
  const rows = await db
    .select(select)
    .from(planSubscriptions)
    .innerJoin(plans, eq(plans.id, planSubscriptions.planId))
    .where(and(eq(planSubscriptions.orgId, orgId), eq(planSubscriptions.status, 'active')))
    .limit(1);
  if (rows[0]) return rows[0];
  const fallback = await db.select(select).from(plans).where(eq(plans.id, defaultPlanId)).limit(1);
  if (!fallback[0]) throw new Error(`default plan ${defaultPlanId} is not in the store`);
  return fallback[0];
}

export async function findUserByEmail(db: Db, email: string) {
  const rows = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`)
    .limit(1);
  return rows[0] ?? null;
}

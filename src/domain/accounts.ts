/**
 * Accounts: every user acts for an organization. Sign-up, an operator's `users create` and the first sight
 * of a Clerk / Supabase user create the user with a personal organization (the user as owner, an active
 * subscription to the default plan) and its audit row in one transaction (`createUser`). Keys, usage, plan
 * and limits belong to the organization; members and roles are in the model so teams can come later.
 * Used by the product API, the admin API and the CLI endpoints alike.
 *
 * @example
 *   const { membership } = await createUser(db, { email, name }, { defaultPlanId: 'free', actor, action: 'user.created' });
 *   membership.orgId // -> "org_…", membership.role // -> "owner"
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { inTransaction, type Db } from '../platform/store/db.js';
import { recordAudit, type Actor } from '../platform/audit.js';
import {
  organizationMembers,
  organizations,
  planSubscriptions,
  plans,
  users,
  authAccounts,
} from '../platform/store/schema.js';
import { newId } from '../platform/ids.js';

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

/**
 * Returns the user's membership, creating a personal organization + default-plan subscription when absent,
 * with `audit`'s row in the same transaction when given (better-auth's sign-up, whose user row is written
 * by better-auth before this runs; and any user left without one, healed on its next request).
 */
export async function ensurePersonalOrg(
  db: Db,
  user: { id: string; name: string; email: string },
  defaultPlanId: string,
  audit?: Omit<UserCreation, 'defaultPlanId'>,
): Promise<Membership> {
  const existing = await findMembership(db, user.id);
  if (existing) return existing;
  await inTransaction(db, async (tx) => {
    // Serialise concurrent first requests of one user: the loser sees the winner's membership afterwards.
    await tx.execute(sql`select id from users where id = ${user.id} for update`);
    const again = await tx
      .select({ orgId: organizationMembers.orgId })
      .from(organizationMembers)
      .where(eq(organizationMembers.userId, user.id))
      .limit(1);
    if (again.length) return;
    const { orgId } = await createPersonalOrg(tx, user, defaultPlanId);
    if (audit) await recordPersonalOrgAudit(tx, user.id, orgId, audit);
  });
  const created = await findMembership(db, user.id);
  if (!created) throw new Error(`personal organization for ${user.id} was not created`);
  return created;
}

/** Writes a personal organization owned by the user, subscribed to the default plan (inside the caller's tx). */
export async function createPersonalOrg(
  tx: Db,
  user: { id: string; name: string; email: string },
  defaultPlanId: string,
): Promise<Membership> {
  const orgId = newId('org');
  await tx.insert(organizations).values({ id: orgId, name: personalOrgName(user) });
  await tx.insert(organizationMembers).values({ orgId, userId: user.id, role: 'owner' });
  await tx
    .insert(planSubscriptions)
    .values({ id: newId('sub'), orgId, planId: defaultPlanId, changedBy: 'signup' });
  return { orgId, role: 'owner', orgStatus: 'active' };
}

export interface NewUser {
  email: string;
  name: string;
  isAdmin?: boolean;
  /** A better-auth password hash: the user signs in with email + password. */
  passwordHash?: string;
}

export interface UserCreation {
  defaultPlanId: string;
  actor: Actor;
  /** The audit action, e.g. "user.created" (an operator) or "user.signed_up". */
  action: string;
  details?: Record<string, unknown>;
}

/**
 * Creates a user, its credential (when a password hash is given), its personal organization and the audit
 * row in one transaction: all of them exist afterwards, or none. A taken email is the unique index's error.
 */
export async function createUser(
  db: Db,
  input: NewUser,
  how: UserCreation,
): Promise<{ user: typeof users.$inferSelect; membership: Membership }> {
  return inTransaction(db, async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({
        id: newId('usr'),
        email: input.email.toLowerCase(),
        name: input.name,
        isAdmin: input.isAdmin ?? false,
      })
      .returning();
    if (!user) throw new Error('insert returned no user');
    if (input.passwordHash)
      await tx.insert(authAccounts).values({
        id: newId('acc'),
        accountId: user.id,
        providerId: 'credential',
        userId: user.id,
        password: input.passwordHash,
      });
    const membership = await createPersonalOrg(tx, user, how.defaultPlanId);
    await recordPersonalOrgAudit(tx, user.id, membership.orgId, how);
    return { user, membership };
  });
}

/** The audit row of a user's creation (inside the transaction that created it). */
export async function recordPersonalOrgAudit(
  tx: Db,
  userId: string,
  orgId: string,
  how: Omit<UserCreation, 'defaultPlanId'>,
): Promise<void> {
  await recordAudit(tx, {
    actor: how.actor,
    orgId,
    action: how.action,
    targetType: 'user',
    targetId: userId,
    details: how.details,
  });
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
  /** The plan's per-key limits (a key may set lower ones); attached to Unkey keys with limits.provider unkey. */
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
}

/** The organization's active plan; the default plan when it has no active subscription. */
export async function activePlan(db: Db, orgId: string, defaultPlanId: string): Promise<OrgPlan> {
  const select = {
    id: plans.id,
    name: plans.name,
    kind: plans.kind,
    maxActiveKeys: plans.maxActiveKeys,
    requestsPerMinute: plans.requestsPerMinute,
    tokensPerMinute: plans.tokensPerMinute,
  };
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

/** Accounts of the running process, bound to its store and default plan; built once in the composition root. */
export interface Accounts {
  findUserByEmail(email: string): ReturnType<typeof findUserByEmail>;
  ensurePersonalOrg(
    user: { id: string; name: string; email: string },
    audit?: Omit<UserCreation, 'defaultPlanId'>,
  ): Promise<Membership>;
  activePlan(orgId: string): Promise<OrgPlan>;
  createUser(input: NewUser, how: Omit<UserCreation, 'defaultPlanId'>): ReturnType<typeof createUser>;
}

export function createAccounts(deps: { db: Db; defaultPlanId: string }): Accounts {
  const { db, defaultPlanId } = deps;
  return {
    findUserByEmail: (email) => findUserByEmail(db, email),
    ensurePersonalOrg: (user, audit) => ensurePersonalOrg(db, user, defaultPlanId, audit),
    activePlan: (orgId) => activePlan(db, orgId, defaultPlanId),
    createUser: (input, how) => createUser(db, input, { ...how, defaultPlanId }),
  };
}

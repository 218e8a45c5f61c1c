/**
 * Maps a verified Clerk / Supabase identity to a Portal user (users.auth_provider + external_id), creating it
 * on first sight with a personal organization and a `user.signed_up` audit row, like a local sign-up: the
 * three are written in one transaction, so a user never exists without its organization.
 *
 * Account linking: when the identity is new but its email already belongs to a Portal user (signed up
 * locally, or through the other provider before the operator switched), the two become one user only if
 * the provider says the email is verified — the row then takes the new identity, with a `user.identity_linked`
 * audit row in the same transaction. An unverified email that is already in use is refused: anyone can type
 * someone else's address into a provider's sign-up.
 */
import { and, eq } from 'drizzle-orm';
import { inTransaction, type Db } from '#src/platform/store/db.js';
import { users } from '#src/platform/store/schema.js';
import { newId } from '#src/platform/ids.js';
import { recordAudit } from '#src/platform/audit.js';
import type { Logger } from '#src/platform/log.js';
import { createPersonalOrg, findUserByEmail, recordPersonalOrgAudit } from '#src/domain/accounts.js';
import type { ExternalIdentity } from './external-jwt.js';

export type UserRow = typeof users.$inferSelect;

export type ExternalUserResult = { ok: true; user: UserRow } | { ok: false; code: 'email_unverified_in_use' };

export async function findOrCreateExternalUser(
  db: Db,
  who: ExternalIdentity,
  defaultPlanId: string,
  log?: Logger,
): Promise<ExternalUserResult> {
  const existing = await findByIdentity(db, who);
  if (existing) return { ok: true, user: existing };
  const email = who.email?.toLowerCase() ?? null;
  const owner = email ? await findUserByEmail(db, email) : null;
  if (owner) {
    if (!who.emailVerified) return { ok: false, code: 'email_unverified_in_use' };
    const linked = await linkIdentity(db, owner, who);
    log?.info(
      { component: 'auth', provider: who.provider, userId: owner.id, from: owner.authProvider },
      'provider identity linked to an existing user by verified email',
    );
    if (linked) return { ok: true, user: linked };
  }
  const placeholder = `${who.subject.toLowerCase().replace(/[^a-z0-9._-]/g, '_')}@${who.provider}.users.invalid`;
  // A conflict (this subject created concurrently, or the email taken meanwhile) inserts nothing and writes
  // no organization; the winner's row is found below.
  const created = await inTransaction(db, async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({
        id: newId('usr'),
        name: who.name ?? '',
        email: email ?? placeholder,
        emailVerified: who.emailVerified,
        authProvider: who.provider,
        externalId: who.subject,
      })
      .onConflictDoNothing()
      .returning();
    if (!user) return undefined;
    const { orgId } = await createPersonalOrg(tx, user, defaultPlanId);
    const actor = { kind: 'user' as const, id: user.id };
    await recordPersonalOrgAudit(tx, user.id, orgId, { actor, action: 'user.signed_up' });
    return user;
  });
  const found = created ?? (await findByIdentity(db, who));
  // A concurrent first request for the same email under another identity won the insert.
  return found ? { ok: true, user: found } : { ok: false, code: 'email_unverified_in_use' };
}

/** The existing user takes the provider identity; its audit row is written in the same transaction. */
function linkIdentity(db: Db, owner: UserRow, who: ExternalIdentity): Promise<UserRow | undefined> {
  return inTransaction(db, async (tx) => {
    const [linked] = await tx
      .update(users)
      .set({ authProvider: who.provider, externalId: who.subject, emailVerified: true })
      .where(eq(users.id, owner.id))
      .returning();
    if (linked)
      await recordAudit(tx, {
        actor: { kind: 'user', id: owner.id },
        orgId: null,
        action: 'user.identity_linked',
        targetType: 'user',
        targetId: owner.id,
        details: { from: owner.authProvider, to: who.provider },
      });
    return linked;
  });
}

async function findByIdentity(db: Db, who: ExternalIdentity): Promise<UserRow | undefined> {
  const rows = await db
    .select()
    .from(users)
    .where(and(eq(users.authProvider, who.provider), eq(users.externalId, who.subject)))
    .limit(1);
  return rows[0];
}

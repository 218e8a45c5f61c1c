/**
 * Maps a verified Clerk / Supabase identity to a Portal user on first sight (users.auth_provider +
 * external_id), with a personal organization and a `user.signed_up` audit row like a local sign-up: the
 * three are written in one transaction, so a user never exists without its organization.
 */
import { and, eq } from 'drizzle-orm';
import { inTransaction, type Db } from '../../platform/store/db.js';
import { users } from '../../platform/store/schema.js';
import { newId } from '../../platform/ids.js';
import { createPersonalOrg, recordPersonalOrgAudit } from '../../domain/accounts.js';
import type { ExternalIdentity } from './external-jwt.js';

export type UserRow = typeof users.$inferSelect;

export async function findOrCreateExternalUser(
  db: Db,
  who: ExternalIdentity,
  defaultPlanId: string,
): Promise<UserRow> {
  const find = async () =>
    (
      await db
        .select()
        .from(users)
        .where(and(eq(users.authProvider, who.provider), eq(users.externalId, who.subject)))
        .limit(1)
    )[0];
  const existing = await find();
  if (existing) return existing;
  const placeholder = `${who.subject.toLowerCase().replace(/[^a-z0-9._-]/g, '_')}@${who.provider}.users.invalid`;
  // An email already used by another account gets the placeholder: identities never merge silently.
  for (const email of who.email ? [who.email, placeholder] : [placeholder]) {
    // A conflict (this subject created concurrently, or the email taken) inserts nothing and writes no
    // organization; the winner's row is found below, else the next email is tried.
    const created = await inTransaction(db, async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({
          id: newId('usr'),
          name: who.name ?? '',
          email,
          emailVerified: true,
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
    const found = created ?? (await find());
    if (found) return found;
  }
  throw new Error(`could not create a user for ${who.provider} subject ${who.subject}`);
}

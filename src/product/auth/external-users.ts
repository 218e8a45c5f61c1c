/**
 * Maps a verified Clerk / Supabase identity to a Portal user (users.auth_provider + external_id), creating
 * it on first sight; the personal organization follows in the session middleware, as for a local sign-up.
 *
 * Account linking: when the identity is new but its email already belongs to a Portal user (signed up
 * locally, or through the other provider before the operator switched), the two become one user only if
 * the provider says the email is verified — the row then takes the new identity. An unverified email that
 * is already in use is refused: anyone can type someone else's address into a provider's sign-up.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/store/db.js';
import { users } from '../../platform/store/schema.js';
import { newId } from '../../platform/ids.js';
import type { Logger } from '../../platform/log.js';
import type { ExternalIdentity } from './external-jwt.js';

export type UserRow = typeof users.$inferSelect;

export type ExternalUserResult = { ok: true; user: UserRow } | { ok: false; code: 'email_unverified_in_use' };

export async function findOrCreateExternalUser(
  db: Db,
  who: ExternalIdentity,
  log?: Logger,
): Promise<ExternalUserResult> {
  const existing = await findByIdentity(db, who);
  if (existing) return { ok: true, user: existing };
  const email = who.email?.toLowerCase() ?? null;
  if (email) {
    const [owner] = await db
      .select()
      .from(users)
      .where(eq(sql`lower(${users.email})`, email))
      .limit(1);
    if (owner) {
      if (!who.emailVerified) return { ok: false, code: 'email_unverified_in_use' };
      const [linked] = await db
        .update(users)
        .set({ authProvider: who.provider, externalId: who.subject, emailVerified: true })
        .where(eq(users.id, owner.id))
        .returning();
      log?.info(
        { component: 'auth', provider: who.provider, userId: owner.id, from: owner.authProvider },
        'provider identity linked to an existing user by verified email',
      );
      if (linked) return { ok: true, user: linked };
    }
  }
  const placeholder = `${who.subject.toLowerCase().replace(/[^a-z0-9._-]/g, '_')}@${who.provider}.users.invalid`;
  await db
    .insert(users)
    .values({
      id: newId('usr'),
      name: who.name ?? '',
      email: email ?? placeholder,
      emailVerified: who.emailVerified,
      authProvider: who.provider,
      externalId: who.subject,
    })
    .onConflictDoNothing();
  const created = await findByIdentity(db, who);
  // A concurrent first request for the same email under another identity won the insert.
  return created ? { ok: true, user: created } : { ok: false, code: 'email_unverified_in_use' };
}

async function findByIdentity(db: Db, who: ExternalIdentity): Promise<UserRow | undefined> {
  const rows = await db
    .select()
    .from(users)
    .where(and(eq(users.authProvider, who.provider), eq(users.externalId, who.subject)))
    .limit(1);
  return rows[0];
}

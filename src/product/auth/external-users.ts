/**
 * Maps a verified Clerk / Supabase identity to a Portal user on first sight (users.auth_provider +
 * external_id), with a personal organization like a local sign-up.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/store/db.js';
import { users } from '../../platform/store/schema.js';
import { newId } from '../../platform/ids.js';
import type { ExternalIdentity } from './external-jwt.js';

export type UserRow = typeof users.$inferSelect;

export async function findOrCreateExternalUser(db: Db, who: ExternalIdentity): Promise<UserRow> {
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
    await db
      .insert(users)
      .values({
        id: newId('usr'),
        name: who.name ?? '',
        email,
        emailVerified: true,
        authProvider: who.provider,
        externalId: who.subject,
      })
      .onConflictDoNothing();
    const created = await find();
    if (created) return created;
  }
  throw new Error(`could not create a user for ${who.provider} subject ${who.subject}`);
}

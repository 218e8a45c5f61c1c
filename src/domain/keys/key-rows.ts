/**
 * The key service's reads and row writes, each one statement: load a key (scoped to its organization),
 * check requested model ids, count an organization's active keys, insert and update rows. Plain functions
 * over a `Db`, so the service can run them inside its transactions.
 */
import { and, eq, gt, isNotNull, isNull, ne, or, sql } from 'drizzle-orm';
import type { Db } from '#src/platform/store/db.js';
import { apiKeys, models } from '#src/platform/store/schema.js';
import { PortalError } from '#src/platform/http/errors.js';
import type { CreateKeyBody, UpdateKeyBody } from '#src/contracts/index.js';

export type KeyRow = typeof apiKeys.$inferSelect;
export type KeyChange = Partial<typeof apiKeys.$inferInsert>;

/** The key, or `not_found` (also for a key of another organization). Pass orgId null for operators. */
export async function loadKey(db: Db, orgId: string | null, keyId: string): Promise<KeyRow> {
  const where = orgId ? and(eq(apiKeys.id, keyId), eq(apiKeys.orgId, orgId)) : eq(apiKeys.id, keyId);
  const rows = await db.select().from(apiKeys).where(where).limit(1);
  if (!rows[0]) throw new PortalError({ code: 'not_found', message: `No API key with id ${keyId}.` });
  return rows[0];
}

/** Refuses a scope naming a model the catalog does not have. */
export async function checkModels(db: Db, ids: string[] | null | undefined): Promise<void> {
  if (!ids?.length) return;
  const known = new Set((await db.select({ id: models.id }).from(models)).map((m) => m.id));
  const unknown = ids.find((id) => !known.has(id));
  if (unknown)
    throw new PortalError({
      code: 'invalid_request_error',
      message: `Unknown model "${unknown}". Pick models from GET /api/models.`,
      param: 'models',
    });
}

/**
 * The organization's keys held at an external issuer (Unkey) that are not revoked, disabled ones included: what
 * a plan change re-writes and what the credits mirror writes to.
 */
export async function issuedKeys(db: Db, orgId: string): Promise<Array<KeyRow & { externalId: string }>> {
  const rows = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.orgId, orgId), ne(apiKeys.status, 'revoked'), isNotNull(apiKeys.externalId)));
  return rows.filter((r): r is KeyRow & { externalId: string } => r.externalId !== null);
}

/** Active, unexpired keys of the organization. */
export async function countActiveKeys(db: Db, orgId: string): Promise<number> {
  const rows = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.orgId, orgId),
        eq(apiKeys.status, 'active'),
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, new Date())),
      ),
    );
  return rows[0]?.n ?? 0;
}

/** The columns a create request sets besides the key material. */
export function newKeyColumns(input: CreateKeyBody) {
  return {
    name: input.name,
    scopes: input.models?.length ? input.models : null,
    requestsPerMinute: input.limits?.requests_per_minute ?? null,
    tokensPerMinute: input.limits?.tokens_per_minute ?? null,
    expiresAt: input.expires_at ?? null,
  };
}

/** The columns an update request changes (only the fields it names). */
export function keyChangeOf(input: UpdateKeyBody): KeyChange {
  const set: KeyChange = {};
  if (input.name !== undefined) set.name = input.name;
  if (input.expires_at !== undefined) set.expiresAt = input.expires_at;
  if (input.models !== undefined) set.scopes = input.models?.length ? input.models : null;
  if (input.limits?.requests_per_minute !== undefined)
    set.requestsPerMinute = input.limits.requests_per_minute;
  if (input.limits?.tokens_per_minute !== undefined) set.tokensPerMinute = input.limits.tokens_per_minute;
  return set;
}

export async function updateKeyRow(db: Db, keyId: string, set: KeyChange): Promise<KeyRow> {
  const [row] = await db
    .update(apiKeys)
    .set({ ...set, updatedAt: new Date() })
    .where(eq(apiKeys.id, keyId))
    .returning();
  if (!row) throw new Error('update returned no row');
  return row;
}

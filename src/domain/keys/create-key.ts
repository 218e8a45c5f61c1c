/**
 * Creating a key: one transaction takes the organization's row lock, reads its plan, counts its active keys
 * against the plan's cap, inserts the key and its audit row. Concurrent creates of one organization queue on
 * the lock, so the cap holds however many arrive at once (on PostgreSQL and PGlite alike). With an external
 * issuer (Unkey) the key is issued inside the transaction, after the cap check; if the transaction then
 * fails, the issued key is deleted again so no usable key exists without its row.
 */
import { sql } from 'drizzle-orm';
import { inTransaction, type Db } from '#src/platform/store/db.js';
import { apiKeys } from '#src/platform/store/schema.js';
import { newId } from '#src/platform/ids.js';
import { PortalError } from '#src/platform/http/errors.js';
import { recordAudit, type Actor } from '#src/platform/audit.js';
import { displayParts, generateKey, hashKey } from '#src/gateway/keys/format.js';
import type { CreateKeyBody } from '#src/contracts/index.js';
import { activePlan, type OrgPlan } from '../accounts.js';
import { checkModels, countActiveKeys, newKeyColumns } from './key-rows.js';
import { toKeyView, type KeyView } from './key-view.js';
import type { ExternalKeys } from './external-keys.js';

export interface CreateKeyDeps {
  db: Db;
  defaultPlanId: string;
  external?: ExternalKeys;
}

export interface CreatedKey {
  /** The full key: returned once, never stored. */
  key: string;
  view: KeyView;
}

export async function createKey(
  deps: CreateKeyDeps,
  actor: Actor,
  orgId: string,
  input: CreateKeyBody,
  reason?: string,
): Promise<CreatedKey> {
  await checkModels(deps.db, input.models);
  let issuedExternalId: string | undefined;
  try {
    return await inTransaction(deps.db, async (tx) => {
      await tx.execute(sql`select id from organizations where id = ${orgId} for update`);
      const plan = await assertRoomForKey(tx, orgId, deps.defaultPlanId);
      const id = newId('key');
      const material = await keyMaterial(deps.external, { id, orgId, plan }, input);
      issuedExternalId = material.externalId ?? undefined;
      const [row] = await tx
        .insert(apiKeys)
        .values({
          id,
          orgId,
          createdBy: actor.kind === 'user' ? actor.id : null,
          ...newKeyColumns(input),
          keyHash: material.hash,
          displayPrefix: material.displayPrefix,
          lastFour: material.lastFour,
          externalId: material.externalId,
        })
        .returning();
      if (!row) throw new Error('insert returned no row');
      const details = { name: row.name };
      await recordAudit(tx, {
        actor,
        orgId,
        action: 'key.created',
        targetType: 'api_key',
        targetId: id,
        details,
        reason,
        before: null,
        after: { name: row.name, status: row.status },
      });
      return { key: material.key, view: toKeyView(row) };
    });
  } catch (err) {
    // Best effort: should the delete fail too, the key stays in Unkey unused — nobody was ever given it.
    if (issuedExternalId) await deps.external?.remove(issuedExternalId).catch(() => undefined);
    throw err;
  }
}

/** `key_limit_reached` when the organization's plan has no room for another active key. */
async function assertRoomForKey(tx: Db, orgId: string, defaultPlanId: string): Promise<OrgPlan> {
  const plan = await activePlan(tx, orgId, defaultPlanId);
  if ((await countActiveKeys(tx, orgId)) >= plan.maxActiveKeys)
    throw new PortalError({
      code: 'key_limit_reached',
      message: `The ${plan.name} plan allows ${plan.maxActiveKeys} active keys. Revoke one to create another.`,
    });
  return plan;
}

/** The new key and what is stored of it: generated here, or issued by the external service. */
async function keyMaterial(
  external: ExternalKeys | undefined,
  { id, orgId, plan }: { id: string; orgId: string; plan: OrgPlan },
  input: CreateKeyBody,
) {
  if (!external) return { ...generateKey(), externalId: null };
  const issued = await external.issue({ id, orgId, ...newKeyColumns(input) }, plan);
  return {
    key: issued.key,
    hash: hashKey(issued.key),
    ...displayParts(issued.key),
    externalId: issued.externalId,
  };
}

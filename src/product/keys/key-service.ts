/**
 * The API key lifecycle, shared by the product API, the admin API and the CLI: create (the key is returned
 * once; only its SHA-256 hash and display parts are stored), list, update (name, expiry, scope, limits),
 * revoke, disable / enable. Every change is audited and announced on the bus as `key.changed`, which makes
 * every gateway instance drop its cached copy. A key id of another organization is "not found".
 *
 * @example
 *   const keys = createKeyService({ store, bus, defaultPlanId: 'free' });
 *   const { key, view } = await keys.create(actor, orgId, { name: 'ci' });  // key: "ptl_…", shown once
 *   await keys.revoke(actor, orgId, view.id);                               // gateway answers 401 key_revoked
 */
import { and, desc, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Db, Store } from '../../platform/store/db.js';
import type { Bus } from '../../platform/bus/types.js';
import { apiKeys, models } from '../../platform/store/schema.js';
import { newId } from '../../platform/ids.js';
import { PortalError } from '../../platform/http/errors.js';
import { displayParts, generateKey, hashKey } from '../../gateway/keys/format.js';
import { activePlan } from '../accounts/accounts.js';
import { recordAudit, type Actor } from '../audit.js';
import type { CreateKeyBody, UpdateKeyBody } from '../../contracts/index.js';
import { toKeyView, type KeyView } from './key-view.js';
import type { ExternalKeys } from './external-keys.js';

export interface KeyServiceDeps {
  store: Store;
  bus: Bus;
  defaultPlanId: string;
  /** Keys issued by Unkey (keys.provider = unkey); absent: Portal issues its own keys. */
  external?: ExternalKeys;
}

export type KeyService = ReturnType<typeof createKeyService>;

export function createKeyService(deps: KeyServiceDeps) {
  const { db } = deps.store;

  async function load(orgId: string | null, keyId: string) {
    const where = orgId ? and(eq(apiKeys.id, keyId), eq(apiKeys.orgId, orgId)) : eq(apiKeys.id, keyId);
    const rows = await db.select().from(apiKeys).where(where).limit(1);
    if (!rows[0]) throw new PortalError({ code: 'not_found', message: `No API key with id ${keyId}.` });
    return rows[0];
  }

  async function checkModels(ids: string[] | null | undefined) {
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

  async function countActive(tx: Db, orgId: string): Promise<number> {
    const rows = await tx
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

  async function insertKey(
    tx: Db,
    actor: Actor,
    orgId: string,
    input: CreateKeyBody,
    plan: { name: string; maxActiveKeys: number },
  ): Promise<{ key: string; view: KeyView }> {
    if ((await countActive(tx, orgId)) >= plan.maxActiveKeys)
      throw new PortalError({
        code: 'key_limit_reached',
        message: `The ${plan.name} plan allows ${plan.maxActiveKeys} active keys. Revoke one to create another.`,
      });
    const id = newId('key');
    const issued = await deps.external?.issue({
      id,
      orgId,
      name: input.name,
      scopes: input.models?.length ? input.models : null,
      requestsPerMinute: input.limits?.requests_per_minute ?? null,
      tokensPerMinute: input.limits?.tokens_per_minute ?? null,
      expiresAt: input.expires_at ?? null,
    });
    const generated = issued
      ? { key: issued.key, hash: hashKey(issued.key), ...displayParts(issued.key) }
      : generateKey();
    const [row] = await tx
      .insert(apiKeys)
      .values({
        id,
        orgId,
        createdBy: actor.kind === 'user' ? actor.id : null,
        name: input.name,
        keyHash: generated.hash,
        displayPrefix: generated.displayPrefix,
        lastFour: generated.lastFour,
        scopes: input.models?.length ? input.models : null,
        requestsPerMinute: input.limits?.requests_per_minute ?? null,
        tokensPerMinute: input.limits?.tokens_per_minute ?? null,
        expiresAt: input.expires_at ?? null,
        externalId: issued?.externalId ?? null,
      })
      .returning();
    if (!row) throw new Error('insert returned no row');
    await recordAudit(tx, {
      actor,
      orgId,
      action: 'key.created',
      targetType: 'api_key',
      targetId: row.id,
      details: { name: row.name },
    });
    return { key: generated.key, view: toKeyView(row) };
  }

  /** Writes a change to one key, audits it and announces it on the bus (every gateway evicts its copy). */
  async function applyChange(
    actor: Actor,
    current: { id: string; orgId: string },
    set: Partial<typeof apiKeys.$inferInsert>,
    action: string,
    details?: Record<string, unknown>,
  ): Promise<KeyView> {
    const [row] = await db
      .update(apiKeys)
      .set({ ...set, updatedAt: new Date() })
      .where(eq(apiKeys.id, current.id))
      .returning();
    if (!row) throw new Error('update returned no row');
    await recordAudit(db, {
      actor,
      orgId: current.orgId,
      action,
      targetType: 'api_key',
      targetId: row.id,
      details,
    });
    await deps.bus.publish({ type: 'key.changed', keyId: row.id, keyHash: row.keyHash });
    return toKeyView(row);
  }

  return {
    async list(orgId: string): Promise<KeyView[]> {
      const rows = await db
        .select()
        .from(apiKeys)
        .where(eq(apiKeys.orgId, orgId))
        .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
      return rows.map(toKeyView);
    },

    async get(orgId: string, keyId: string): Promise<KeyView> {
      return toKeyView(await load(orgId, keyId));
    },

    /**
     * Creates a key; the returned `key` is the only time the full key exists outside the caller. The cap is
     * counted and the key inserted in one transaction holding the organization's row lock, so concurrent
     * creates of one organization queue and never exceed the plan's active-key cap.
     */
    async create(actor: Actor, orgId: string, input: CreateKeyBody): Promise<{ key: string; view: KeyView }> {
      await checkModels(input.models);
      const plan = await activePlan(db, orgId, deps.defaultPlanId);
      return db.transaction(async (tx) => {
        await tx.execute(sql`select id from organizations where id = ${orgId} for update`);
        return insertKey(tx as unknown as Db, actor, orgId, input, plan);
      });
    },

    async update(actor: Actor, orgId: string, keyId: string, input: UpdateKeyBody): Promise<KeyView> {
      const current = await load(orgId, keyId);
      await checkModels(input.models);
      const set: Partial<typeof apiKeys.$inferInsert> = {};
      if (input.name !== undefined) set.name = input.name;
      if (input.expires_at !== undefined) set.expiresAt = input.expires_at;
      if (input.models !== undefined) set.scopes = input.models?.length ? input.models : null;
      if (input.limits?.requests_per_minute !== undefined)
        set.requestsPerMinute = input.limits.requests_per_minute;
      if (input.limits?.tokens_per_minute !== undefined) set.tokensPerMinute = input.limits.tokens_per_minute;
      if (!Object.keys(set).length) return toKeyView(current);
      if (deps.external && current.externalId)
        await deps.external.sync(current.externalId, { ...current, ...set });
      return applyChange(actor, current, set, 'key.updated', { fields: Object.keys(set) });
    },

    /** Revokes for good (idempotent). The key stays listed as revoked. Pass orgId null for operators. */
    async revoke(actor: Actor, orgId: string | null, keyId: string): Promise<KeyView> {
      const current = await load(orgId, keyId);
      if (current.status === 'revoked') return toKeyView(current);
      if (deps.external && current.externalId) await deps.external.remove(current.externalId);
      const set = { status: 'revoked' as const, revokedAt: new Date(), revokedBy: actor.id ?? actor.kind };
      return applyChange(actor, current, set, 'key.revoked');
    },

    /** Operators: disable (reversible) or re-enable a key. A revoked key stays revoked. */
    async setDisabled(actor: Actor, keyId: string, disabled: boolean): Promise<KeyView> {
      const current = await load(null, keyId);
      if (current.status === 'revoked')
        throw new PortalError({ code: 'conflict', message: 'The key is revoked; it cannot change state.' });
      if (deps.external && current.externalId) await deps.external.setEnabled(current.externalId, !disabled);
      const status = disabled ? ('disabled' as const) : ('active' as const);
      return applyChange(actor, current, { status }, disabled ? 'key.disabled' : 'key.enabled');
    },
  };
}

/**
 * The API key lifecycle, shared by the product API, the admin API and the CLI (built once in the composition
 * root): create (the key is returned once; only its SHA-256 hash and display parts are stored), list, update
 * (name, expiry, scope, limits), revoke, disable / enable. Every change and its audit row are one
 * transaction; after it commits, the change is announced on the bus as `key.changed`, which makes every
 * gateway instance drop its cached copy. A key id of another organization is "not found".
 *
 * @example
 *   const keys = createKeyService({ store, bus, defaultPlanId: 'free' });
 *   const { key, view } = await keys.create(actor, orgId, { name: 'ci' });  // key: "ptl_…", shown once
 *   await keys.revoke(actor, orgId, view.id);                               // gateway answers 401 key_revoked
 */
import { desc, eq } from 'drizzle-orm';
import { inTransaction, type Store } from '#src/platform/store/db.js';
import type { Bus } from '#src/platform/bus/types.js';
import { apiKeys } from '#src/platform/store/schema.js';
import { PortalError } from '#src/platform/http/errors.js';
import { recordAudit, type Actor, type AuditEntry } from '#src/platform/audit.js';
import type { CreateKeyBody, UpdateKeyBody } from '#src/contracts/index.js';
import { toKeyView, type KeyView } from './key-view.js';
import type { ExternalKeys } from './external-keys.js';
import { createKey, type CreatedKey } from './create-key.js';
import { activePlan } from '../accounts.js';
import { checkModels, issuedKeys, keyChangeOf, loadKey, updateKeyRow, type KeyChange } from './key-rows.js';

export interface KeyServiceDeps {
  store: Store;
  bus: Bus;
  defaultPlanId: string;
  /** Keys issued by Unkey (keys.provider = unkey); absent: Portal issues its own keys. */
  external?: ExternalKeys;
}

export interface KeyService {
  list(orgId: string): Promise<KeyView[]>;
  get(orgId: string, keyId: string): Promise<KeyView>;
  /**
   * Creates a key; the returned `key` is the only time the full key exists outside the caller. Never more
   * active keys than the plan allows, however many creates run at once (see ./create-key.ts).
   */
  create(actor: Actor, orgId: string, input: CreateKeyBody, reason?: string): Promise<CreatedKey>;
  update(actor: Actor, orgId: string, keyId: string, input: UpdateKeyBody): Promise<KeyView>;
  /** Revokes for good (idempotent). The key stays listed as revoked. Pass orgId null for operators. */
  revoke(actor: Actor, orgId: string | null, keyId: string, reason?: string): Promise<KeyView>;
  /** Operators: disable (reversible) or re-enable a key. A revoked key stays revoked. */
  setDisabled(actor: Actor, keyId: string, disabled: boolean, reason?: string): Promise<KeyView>;
  /**
   * Re-writes the limits attached at the issuer (Unkey key ratelimits) of every non-revoked key of the
   * organization, one call at a time (at most the plan's active-key count plus disabled keys): after a plan
   * change. Never throws; answers how many keys were written and how many calls failed.
   */
  resyncLimits(orgId: string): Promise<{ synced: number; failed: number }>;
}

export function createKeyService(deps: KeyServiceDeps): KeyService {
  const { db } = deps.store;
  const { external } = deps;
  const change = changeApplier(deps);
  return {
    async list(orgId) {
      const rows = await db
        .select()
        .from(apiKeys)
        .where(eq(apiKeys.orgId, orgId))
        .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
      return rows.map(toKeyView);
    },
    get: async (orgId, keyId) => toKeyView(await loadKey(db, orgId, keyId)),
    create: (actor, orgId, input, reason) =>
      createKey({ db, defaultPlanId: deps.defaultPlanId, external }, actor, orgId, input, reason),
    async update(actor, orgId, keyId, input) {
      const current = await loadKey(db, orgId, keyId);
      await checkModels(db, input.models);
      const set = keyChangeOf(input);
      if (!Object.keys(set).length) return toKeyView(current);
      if (external && current.externalId)
        await external.sync(
          current.externalId,
          { ...current, ...set },
          await activePlan(db, orgId, deps.defaultPlanId),
        );
      return change(actor, current, set, 'key.updated', { details: { fields: Object.keys(set) } });
    },
    async revoke(actor, orgId, keyId, reason) {
      const current = await loadKey(db, orgId, keyId);
      if (current.status === 'revoked') return toKeyView(current);
      if (external && current.externalId) await external.remove(current.externalId);
      const set = { status: 'revoked' as const, revokedAt: new Date(), revokedBy: actor.id ?? actor.kind };
      return change(actor, current, set, 'key.revoked', statusChange(current.status, 'revoked', reason));
    },
    async setDisabled(actor, keyId, disabled, reason) {
      const current = await loadKey(db, null, keyId);
      if (current.status === 'revoked')
        throw new PortalError({ code: 'conflict', message: 'The key is revoked; it cannot change state.' });
      if (external && current.externalId) await external.setEnabled(current.externalId, !disabled);
      const status = disabled ? ('disabled' as const) : ('active' as const);
      const audit = statusChange(current.status, status, reason);
      return change(actor, current, { status }, disabled ? 'key.disabled' : 'key.enabled', audit);
    },
    async resyncLimits(orgId) {
      const outcome = { synced: 0, failed: 0 };
      if (!external?.attachesLimits) return outcome;
      const plan = await activePlan(db, orgId, deps.defaultPlanId);
      for (const row of await issuedKeys(db, orgId)) {
        try {
          await external.sync(row.externalId, row, plan);
          outcome.synced += 1;
        } catch {
          outcome.failed += 1; // the key keeps its old attached limits until its next update or plan change
        }
      }
      return outcome;
    },
  };
}

/** What a key's audit entry carries besides who and what: details, reason, before and after. */
type KeyAudit = Pick<AuditEntry, 'details' | 'reason' | 'before' | 'after'>;

function statusChange(from: string, to: string, reason: string | undefined): KeyAudit {
  return { reason, before: { status: from }, after: { status: to } };
}

/**
 * Writes a change to one key with its audit row in one transaction, then announces it on the bus (every
 * gateway evicts its copy). The external issuer, if any, was told before: a failed call changes nothing here.
 */
function changeApplier(deps: KeyServiceDeps) {
  return async function applyChange(
    actor: Actor,
    current: { id: string; orgId: string },
    set: KeyChange,
    action: string,
    audit: KeyAudit = {},
  ): Promise<KeyView> {
    const row = await inTransaction(deps.store.db, async (tx) => {
      const updated = await updateKeyRow(tx, current.id, set);
      const entry = {
        actor,
        orgId: current.orgId,
        action,
        targetType: 'api_key',
        targetId: current.id,
        ...audit,
      };
      await recordAudit(tx, entry);
      return updated;
    });
    await deps.bus.publish({ type: 'key.changed', keyId: row.id, keyHash: row.keyHash });
    return toKeyView(row);
  };
}

/**
 * Writes one audit_log row per change a person or operator made (key created, renamed, revoked, org disabled,
 * plan changed, credit granted). Append-only; read by the admin API. Never holds secrets: details carry ids
 * and changed field names only. Pass the transaction of the change it records, so the change and its audit
 * row commit together or not at all.
 *
 * @example
 *   await inTransaction(db, async (tx) => {
 *     await tx.update(organizations).set({ status: 'disabled' }).where(eq(organizations.id, orgId));
 *     await recordAudit(tx, { actor, orgId, action: 'org.disabled', targetType: 'organization', targetId: orgId });
 *   });
 */
import type { Db } from './store/db.js';
import { auditLog } from './store/schema.js';
import { newId } from './ids.js';

export interface Actor {
  kind: 'user' | 'admin' | 'system' | 'cli';
  id: string | null;
}

export interface AuditEntry {
  actor: Actor;
  orgId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  details?: Record<string, unknown>;
  /** Why the actor did it (an operator's words, at most 500 characters). */
  reason?: string | null;
  /** The changed fields before and after (null before a creation, after a removal). No secrets. */
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** Reason, before and after are kept in `details` under these names, read back by the admin audit list. */
export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  const details: Record<string, unknown> = { ...entry.details };
  if (entry.reason) details.reason = entry.reason;
  if (entry.before !== undefined) details.before = entry.before;
  if (entry.after !== undefined) details.after = entry.after;
  await db.insert(auditLog).values({
    id: newId('aud'),
    actorKind: entry.actor.kind,
    actorId: entry.actor.id,
    orgId: entry.orgId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    details,
  });
}

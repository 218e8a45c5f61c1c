/**
 * Writes one audit_log row per change a person or operator made (key created, renamed, revoked, org disabled).
 * Append-only; read by the admin API. Never holds secrets: details carry ids and changed field names only.
 */
import type { Db } from '../platform/store/db.js';
import { auditLog } from '../platform/store/schema.js';
import { newId } from '../platform/ids.js';

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
}

export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    id: newId('aud'),
    actorKind: entry.actor.kind,
    actorId: entry.actor.id,
    orgId: entry.orgId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    details: entry.details ?? {},
  });
}

/** The actor of an admin API request: the CLI says so with `x-portal-actor: cli`. */
export function adminActor(c: { req: { header(name: string): string | undefined } }): Actor {
  return { kind: c.req.header('x-portal-actor') === 'cli' ? 'cli' : 'admin', id: null };
}

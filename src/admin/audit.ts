/**
 * Admin API — GET /admin/api/audit: the audit log newest first (who acted — a user with their email, the
 * admin token, the CLI or the system —, what, on what, when, why, and the target's state before and after),
 * filtered by actor, action, target, organization and time, paged by (occurred_at, id) keyset cursors over
 * the audit_log indexes.
 */
import { and, desc, eq, gte, lt, lte, or, type SQL } from 'drizzle-orm';
import { auditQuery } from '../contracts/index.js';
import type { AuditEntry } from '../contracts/admin-responses.js';
import { routeLabel } from '../platform/http/kernel.js';
import { parseValue } from '../platform/http/body.js';
import { decodeCursor, pageOf } from '../platform/http/cursor.js';
import { clampDate } from '../contracts/index.js';
import type { Db } from '../platform/store/db.js';
import { auditLog, users } from '../platform/store/schema.js';
import type { AdminApi } from './context.js';

type Row = typeof auditLog.$inferSelect & { email: string | null };

const objectOrNull = (v: unknown): Record<string, unknown> | null =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

/** An audit row as the list shows it: reason, before and after lifted out of `details`. */
export function auditView(row: Row): AuditEntry {
  const details = row.details;
  return {
    id: row.id,
    occurred_at: row.occurredAt.toISOString(),
    actor: { kind: row.actorKind, id: row.actorId, email: row.actorKind === 'user' ? row.email : null },
    action: row.action,
    target_type: row.targetType,
    target_id: row.targetId,
    org_id: row.orgId,
    reason: typeof details.reason === 'string' ? details.reason : null,
    before: objectOrNull(details.before),
    after: objectOrNull(details.after),
  };
}

export function registerAdminAudit(admin: AdminApi, { db }: { db: Db }) {
  admin.get('/audit', routeLabel('/admin/api/audit'), async (c) => {
    const q = parseValue(auditQuery, c.req.query());
    const where: Array<SQL | undefined> = [];
    if (q.actor_id) where.push(eq(auditLog.actorId, q.actor_id));
    if (q.action) where.push(eq(auditLog.action, q.action));
    if (q.target_type) where.push(eq(auditLog.targetType, q.target_type));
    if (q.target_id) where.push(eq(auditLog.targetId, q.target_id));
    if (q.org_id) where.push(eq(auditLog.orgId, q.org_id));
    if (q.since) where.push(gte(auditLog.occurredAt, clampDate(new Date(q.since))));
    if (q.until) where.push(lte(auditLog.occurredAt, clampDate(new Date(q.until))));
    if (q.cursor) {
      const { at, id } = decodeCursor(q.cursor);
      where.push(or(lt(auditLog.occurredAt, at), and(eq(auditLog.occurredAt, at), lt(auditLog.id, id))));
    }
    const rows = await db
      .select({ row: auditLog, email: users.email })
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorId))
      .where(where.length ? and(...where) : undefined)
      .orderBy(desc(auditLog.occurredAt), desc(auditLog.id))
      .limit(q.limit + 1);
    const flat = rows.map((r) => ({ ...r.row, email: r.email }));
    const { page, next_cursor } = pageOf(flat, q.limit, (r) => ({ at: r.occurredAt, id: r.id }));
    return c.json({ object: 'list', data: page.map(auditView), next_cursor });
  });
}

/**
 * Admin API — request logs and quota state: page through request logs newest first (filters: org, key,
 * model, status, error code, time range; keyset pagination by time), read one request, and see an
 * organization's current windows (what is used, what remains, when it frees up).
 */
import { and, desc, eq, gte, lt, lte, or, type SQL } from 'drizzle-orm';
import type { AdminApi } from './context.js';
import { PortalError } from '../platform/http/errors.js';
import { routeLabel } from '../platform/http/kernel.js';
import { requestLogs } from '../platform/store/schema.js';
import { clampDate, requestLogQuery } from '../contracts/index.js';
import { parseValue } from '../platform/http/body.js';
import { decodeCursor, pageOf } from '../platform/http/cursor.js';
import type { Db } from '../platform/store/db.js';

export interface AdminRequestsDeps {
  db: Db;
  /** The organization's current limit windows (the gateway's). */
  windows(orgId: string): Promise<unknown>;
}

export function registerAdminRequests(admin: AdminApi, { db, windows }: AdminRequestsDeps) {
  admin.get('/requests', routeLabel('/admin/api/requests'), async (c) => {
    const q = parseValue(requestLogQuery, c.req.query());
    const org = q.org_id ?? q.org;
    const key = q.key_id ?? q.key;
    // drizzle's and()/or() skip undefined conditions, and type their result as possibly undefined.
    const where: Array<SQL | undefined> = [];
    if (org) where.push(eq(requestLogs.orgId, org));
    if (key) where.push(eq(requestLogs.keyId, key));
    if (q.model) where.push(eq(requestLogs.modelId, q.model));
    if (q.status) where.push(eq(requestLogs.status, q.status));
    if (q.error_code) where.push(eq(requestLogs.errorCode, q.error_code));
    if (q.since) where.push(gte(requestLogs.occurredAt, clampDate(new Date(q.since))));
    if (q.until) where.push(lte(requestLogs.occurredAt, clampDate(new Date(q.until))));
    if (q.cursor) {
      const { at, id } = decodeCursor(q.cursor);
      where.push(
        or(
          lt(requestLogs.occurredAt, at),
          and(eq(requestLogs.occurredAt, at), lt(requestLogs.requestId, id)),
        ),
      );
    }
    const rows = await db
      .select()
      .from(requestLogs)
      .where(where.length ? and(...where) : undefined)
      .orderBy(desc(requestLogs.occurredAt), desc(requestLogs.requestId))
      .limit(q.limit + 1);
    const { page, next_cursor } = pageOf(rows, q.limit, (r) => ({ at: r.occurredAt, id: r.requestId }));
    return c.json({ data: page, next_cursor });
  });

  admin.get('/requests/:id', routeLabel('/admin/api/requests/:id'), async (c) => {
    const [row] = await db
      .select()
      .from(requestLogs)
      .where(eq(requestLogs.requestId, c.req.param('id')));
    if (!row) throw new PortalError({ code: 'not_found', message: 'No request with that id.' });
    return c.json(row);
  });

  admin.get('/orgs/:id/limits', routeLabel('/admin/api/orgs/:id/limits'), async (c) =>
    c.json({ data: await windows(c.req.param('id')) }),
  );
}

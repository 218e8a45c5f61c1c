/**
 * Admin API — request logs and quota state: page through request logs newest first (filters: org, key,
 * model, status, error code, time range; keyset pagination by time), read one request, and see an
 * organization's current windows (what is used, what remains, when it frees up).
 */
import { desc, eq } from 'drizzle-orm';
import type { AdminApi } from './context.js';
import { PortalError } from '../platform/http/errors.js';
import { routeLabel } from '../platform/http/kernel.js';
import { requestLogs } from '../platform/store/schema.js';
import { clampDate, requestLogQuery } from '../contracts/index.js';
import { parseValue } from '../platform/http/body.js';
import { pageOf } from '../platform/http/cursor.js';
import { requestLogConditions } from '../domain/request-logs.js';
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
    const where = requestLogConditions({
      orgId: org,
      keyId: key,
      model: q.model,
      status: q.status,
      errorCode: q.error_code,
      since: q.since ? clampDate(new Date(q.since)) : undefined,
      until: q.until ? clampDate(new Date(q.until)) : undefined,
      cursor: q.cursor,
    });
    const rows = await db
      .select()
      .from(requestLogs)
      .where(where)
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

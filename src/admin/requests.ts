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
import type { Db } from '../platform/store/db.js';

export interface AdminRequestsDeps {
  db: Db;
  /** The organization's current limit windows (the gateway's). */
  windows(orgId: string): Promise<unknown>;
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const date = new Date(at ?? '');
  // eslint-disable-next-line no-control-regex
  if (!id || Number.isNaN(date.getTime()) || /[\u0000-\u001f\u007f\ufffd]/.test(id))
    throw new PortalError({ code: 'invalid_request_error', param: 'cursor', message: 'Invalid cursor.' });
  return { at: clampDate(date), id };
}

export function registerAdminRequests(admin: AdminApi, { db, windows }: AdminRequestsDeps) {
  admin.get('/requests', routeLabel('/admin/api/requests'), async (c) => {
    const q = parseValue(requestLogQuery, c.req.query());
    // drizzle's and()/or() skip undefined conditions, and type their result as possibly undefined.
    const where: Array<SQL | undefined> = [];
    if (q.org) where.push(eq(requestLogs.orgId, q.org));
    if (q.key) where.push(eq(requestLogs.keyId, q.key));
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
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return c.json({
      data: page,
      next_cursor:
        rows.length > q.limit && last
          ? Buffer.from(`${last.occurredAt.toISOString()}|${last.requestId}`).toString('base64url')
          : null,
    });
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

/**
 * Which request-log rows a filter names, for the customer's Requests page (/api/requests, always one
 * organization) and the operators' (/admin/api/requests): equality filters, a time range, and the keyset
 * cursor (newest first: rows strictly older than the cursor's time, or as old with a smaller request id).
 */
import { and, eq, gte, lt, lte, or, type SQL } from 'drizzle-orm';
import { decodeCursor } from '../platform/http/cursor.js';
import { requestLogs } from '../platform/store/schema.js';

export interface RequestLogFilter {
  orgId?: string;
  keyId?: string;
  model?: string;
  status?: number;
  errorCode?: string;
  since?: Date;
  until?: Date;
  cursor?: string;
}

/** The rows' condition; undefined for no filter at all (drizzle's and() skips undefined parts). */
export function requestLogConditions(f: RequestLogFilter): SQL | undefined {
  const where: Array<SQL | undefined> = [];
  if (f.orgId) where.push(eq(requestLogs.orgId, f.orgId));
  if (f.keyId) where.push(eq(requestLogs.keyId, f.keyId));
  if (f.model) where.push(eq(requestLogs.modelId, f.model));
  if (f.status) where.push(eq(requestLogs.status, f.status));
  if (f.errorCode) where.push(eq(requestLogs.errorCode, f.errorCode));
  if (f.since) where.push(gte(requestLogs.occurredAt, f.since));
  if (f.until) where.push(lte(requestLogs.occurredAt, f.until));
  if (f.cursor) {
    const { at, id } = decodeCursor(f.cursor);
    where.push(
      or(lt(requestLogs.occurredAt, at), and(eq(requestLogs.occurredAt, at), lt(requestLogs.requestId, id))),
    );
  }
  return where.length ? and(...where) : undefined;
}

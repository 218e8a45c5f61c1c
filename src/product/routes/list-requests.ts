/**
 * GET /api/requests and GET /api/requests/:request_id — the signed-in organization's own request log: status,
 * model, tokens, latency and error code per request, newest first, filtered by model, status, error code or
 * key, paged by (occurred_at, request_id) cursors over the request_logs (org_id, occurred_at) index. One
 * request by the `x-request-id` its answer carried; another organization's id is 404 like an unknown one.
 * Never bodies, client addresses or routes.
 */
import { and, desc, eq, type SQL } from 'drizzle-orm';
import { routeLabel } from '#src/platform/http/kernel.js';
import { PortalError } from '#src/platform/http/errors.js';
import { parseValue } from '#src/platform/http/body.js';
import { pageOf } from '#src/platform/http/cursor.js';
import { requestLogConditions } from '#src/domain/request-logs.js';
import { apiKeys, requestLogs } from '#src/platform/store/schema.js';
import type { Db } from '#src/platform/store/db.js';
import { customerRequestQuery, type CustomerRequest } from '#src/contracts/index.js';
import type { ProductApi } from '../deps.js';

const columns = {
  log: {
    requestId: requestLogs.requestId,
    occurredAt: requestLogs.occurredAt,
    keyId: requestLogs.keyId,
    modelId: requestLogs.modelId,
    endpoint: requestLogs.endpoint,
    stream: requestLogs.stream,
    status: requestLogs.status,
    errorCode: requestLogs.errorCode,
    latencyMs: requestLogs.latencyMs,
    ttftMs: requestLogs.ttftMs,
    inputTokens: requestLogs.inputTokens,
    outputTokens: requestLogs.outputTokens,
  },
  keyName: apiKeys.name,
};

type Row = {
  log: { [K in keyof typeof columns.log]: (typeof requestLogs.$inferSelect)[K] };
  keyName: string | null;
};

function view({ log, keyName }: Row): CustomerRequest {
  return {
    request_id: log.requestId,
    occurred_at: log.occurredAt.toISOString(),
    key_id: log.keyId,
    key_name: keyName,
    model: log.modelId,
    endpoint: log.endpoint,
    stream: log.stream,
    status: log.status,
    error_code: log.errorCode,
    latency_ms: log.latencyMs,
    ttft_ms: log.ttftMs,
    input_tokens: log.inputTokens,
    output_tokens: log.outputTokens,
  };
}

function select(db: Db, where: SQL | undefined) {
  return db
    .select(columns)
    .from(requestLogs)
    .leftJoin(apiKeys, eq(apiKeys.id, requestLogs.keyId))
    .where(where)
    .orderBy(desc(requestLogs.occurredAt), desc(requestLogs.requestId));
}

export function registerListRequests(api: ProductApi, { db }: { db: Db }) {
  api.get('/requests', routeLabel('/api/requests'), async (c) => {
    const q = parseValue(customerRequestQuery, c.req.query());
    const where = requestLogConditions({
      orgId: c.get('orgId'),
      keyId: q.key_id,
      model: q.model,
      status: q.status,
      errorCode: q.error_code,
      cursor: q.cursor,
    });
    const rows = await select(db, where).limit(q.limit + 1);
    const { page, next_cursor } = pageOf(rows, q.limit, (r) => ({
      at: r.log.occurredAt,
      id: r.log.requestId,
    }));
    return c.json({ object: 'list', data: page.map(view), next_cursor });
  });

  api.get('/requests/:request_id', routeLabel('/api/requests/:request_id'), async (c) => {
    const id = c.req.param('request_id');
    const [row] = await select(
      db,
      and(eq(requestLogs.requestId, id), eq(requestLogs.orgId, c.get('orgId'))),
    ).limit(1);
    if (!row) throw new PortalError({ code: 'not_found', message: 'No request with that id.' });
    return c.json(view(row));
  });
}

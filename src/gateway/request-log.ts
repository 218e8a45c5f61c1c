/**
 * Request logs for /v1: every authenticated request gets one, failures included. Non-streamed requests are
 * logged by the middleware when the handler returns; streams log themselves when they end. A request that
 * failed authentication has no row (anyone can send those): it is counted in metrics (index.ts).
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { Metering, RequestLog } from '../platform/metering/types.js';
import { hashIp } from './gateway.js';
import type { CallLog, GatewayEnv } from './context.js';

export function requestLogs(deps: { metering: Metering; ipSalt: string }): MiddlewareHandler<GatewayEnv> {
  return async function requestLogs(c, next) {
    const log: CallLog = {
      stream: false,
      inputTokens: 0,
      outputTokens: 0,
      ttftMs: null,
      deferred: false,
      clientIpHash: hashIp(c.get('clientIp'), deps.ipSalt),
    };
    c.set('callLog', log);
    await next();
    if (!log.deferred && log.caller)
      deps.metering.recordRequest(requestLogFrom(c, log, c.res.status, c.get('errorCode') ?? null));
  };
}

export function requestLogFrom(
  c: Context<GatewayEnv>,
  log: CallLog,
  status: number,
  errorCode: string | null,
): RequestLog {
  return {
    requestId: c.get('requestId'),
    occurredAt: new Date(),
    orgId: log.caller?.policy.orgId ?? null,
    keyId: log.caller?.key.id ?? null,
    modelId: log.modelId ?? null,
    poolId: log.poolId ?? null,
    routerId: log.routerId ?? null,
    // The route's label, never the raw path (which the client chooses: NUL bytes, ids, anything).
    endpoint: c.get('routeLabel'),
    method: c.req.method,
    stream: log.stream,
    status,
    errorCode,
    latencyMs: Math.round(performance.now() - c.get('startedAt')),
    ttftMs: log.ttftMs === null ? null : Math.round(log.ttftMs),
    inputTokens: log.inputTokens,
    outputTokens: log.outputTokens,
    clientIpHash: log.clientIpHash,
    clientRequestId: c.get('clientRequestId') ?? null,
  };
}

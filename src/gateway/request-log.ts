/**
 * Request logs for /v1: every authenticated request gets one row, failures included, derived once from what
 * became of it. An admitted call is logged by respond.ts when it finishes (a stream when it ends), from its
 * outcome; every other authenticated request (refused at admission, bad input, /v1/models) by the middleware
 * when its handler returns. A request that failed authentication has no row (anyone can send those): it is
 * counted in metrics (index.ts).
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { Metering, RequestLog } from '../platform/metering/types.js';
import { hashIp, type Admission, type Caller, type Outcome } from './gateway.js';
import type { GatewayEnv } from './context.js';
import type { TokenUsage } from './format/types.js';
import type { RequestMetrics } from './request-metrics.js';

/** The part of a row that depends on what became of the call. */
interface CallFacts {
  caller: Caller;
  modelId: string | null;
  poolId: string | null;
  routerId: string | null;
  stream: boolean;
  status: number;
  errorCode: string | null;
  ttftMs: number | null;
  inputTokens: number;
  outputTokens: number;
}

export interface RequestLogs {
  /** Runs after authentication: logs the request when its handler returns, unless it was admitted. */
  middleware: MiddlewareHandler<GatewayEnv>;
  /** Logs an admitted call from its outcome, once it has finished. */
  finished(c: Context<GatewayEnv>, admission: Admission, outcome: Outcome, counted: TokenUsage): void;
}

export function createRequestLogs(deps: {
  metering: Metering;
  ipSalt: string;
  requestMetrics?: RequestMetrics;
}): RequestLogs {
  // The one place a /v1 request is recorded: its row, and from the same row its metrics.
  const record = (c: Context<GatewayEnv>, facts: CallFacts, requested?: string) => {
    const row = requestLogFrom(c, facts, deps.ipSalt);
    deps.metering.recordRequest(row);
    deps.requestMetrics?.record(row, requested);
  };
  return {
    middleware: async function requestLogs(c, next) {
      await next();
      if (c.get('admission')) return; // respond.ts logs it when the call finishes
      const call = c.get('call');
      record(
        c,
        {
          caller: c.get('caller'),
          modelId: null,
          poolId: null,
          routerId: null,
          stream: call?.stream ?? false,
          status: c.res.status,
          errorCode: c.get('errorCode') ?? null,
          ttftMs: null,
          inputTokens: 0,
          outputTokens: 0,
        },
        call?.model,
      );
    },
    finished(c, admission, outcome, counted) {
      record(c, {
        caller: admission.caller,
        modelId: admission.model.id,
        poolId: outcome.route?.poolId ?? null,
        routerId: outcome.route?.routerId ?? null,
        stream: admission.call.stream,
        status: outcome.status,
        errorCode: outcome.errorCode,
        ttftMs: outcome.ttftMs,
        ...counted,
      });
    },
  };
}

function requestLogFrom(c: Context<GatewayEnv>, facts: CallFacts, ipSalt: string): RequestLog {
  return {
    requestId: c.get('requestId'),
    occurredAt: new Date(),
    orgId: facts.caller.policy.orgId,
    keyId: facts.caller.key.id,
    modelId: facts.modelId,
    poolId: facts.poolId,
    routerId: facts.routerId,
    // The route's label, never the raw path (which the client chooses: NUL bytes, ids, anything).
    endpoint: c.get('routeLabel'),
    method: c.req.method,
    stream: facts.stream,
    status: facts.status,
    errorCode: facts.errorCode,
    latencyMs: Math.round(performance.now() - c.get('startedAt')),
    ttftMs: facts.ttftMs === null ? null : Math.round(facts.ttftMs),
    inputTokens: facts.inputTokens,
    outputTokens: facts.outputTokens,
    clientIpHash: hashIp(c.get('clientIp'), ipSalt),
    clientRequestId: c.get('clientRequestId') ?? null,
  };
}

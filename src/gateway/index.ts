/**
 * The /v1 gateway: key authentication, request logs, then one route per endpoint. Built once from the
 * services; every check runs in memory for a known key (see gateway.ts).
 */
import { Hono, type MiddlewareHandler } from 'hono';
import type { Metering } from '../platform/metering/types.js';
import type { GatewayEnv } from './context.js';
import { createRequestLogs } from './request-log.js';
import { toPortalError } from '../platform/http/errors.js';
import type { Gateway } from './gateway.js';
import type { Authenticated } from './authenticate.js';
import { refusal } from './edge.js';
import type client from 'prom-client';
import type { RespondDeps } from './respond.js';
import { registerChatCompletions } from './routes/chat-completions.js';
import { registerCompletions } from './routes/completions.js';
import { registerMessages } from './routes/messages.js';
import { registerModels } from './routes/models.js';
import { headerOf } from '../platform/http/node-io.js';
import type { RequestMetrics } from './request-metrics.js';

export interface GatewayRoutesDeps extends Omit<RespondDeps, 'requestLogs'> {
  metering: Metering;
  ipSalt: string;
  /** Failed authentications by code (they leave no request-log row). */
  authFailures?: client.Counter<'code'>;
  /** Counts every request that has a request-log row (request-metrics.ts). */
  requestMetrics?: RequestMetrics;
}

export function createV1App(deps: GatewayRoutesDeps): Hono<GatewayEnv> {
  const v1 = new Hono<GatewayEnv>();
  const requestLogs = createRequestLogs(deps);
  const respond: RespondDeps = { ...deps, requestLogs };
  v1.use('*', authenticate(deps));
  v1.use('*', requestLogs.middleware);
  registerChatCompletions(v1, respond);
  registerCompletions(v1, respond);
  registerMessages(v1, respond);
  registerModels(v1, deps.gateway);
  return v1;
}

function authenticate(deps: {
  gateway: Gateway;
  authFailures?: client.Counter<'code'>;
}): MiddlewareHandler<GatewayEnv> {
  const { gateway, authFailures } = deps;
  return async function authenticate(c, next) {
    const authorization = headerOf(c, 'authorization');
    let presented: string | undefined;
    if (authorization) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      presented = match?.[1] ?? authorization; // a malformed header fails the format check with a clear 401
    } else presented = headerOf(c, 'x-api-key')?.trim();
    let auth: Authenticated;
    try {
      auth = await gateway.authenticate(presented, () => c.get('clientIp'));
    } catch (err) {
      authFailures?.inc({ code: toPortalError(err).code });
      throw err;
    }
    if (!auth.ok) {
      authFailures?.inc({ code: auth.code });
      throw refusal(auth);
    }
    c.set('caller', auth.caller);
    await next();
  };
}

/**
 * The /v1 gateway: request logs, key authentication, then one route per endpoint. Built once from the
 * services; every check runs in memory for a known key (see gateway.ts).
 */
import { Hono, type MiddlewareHandler } from 'hono';
import type { Metering } from '../platform/metering/types.js';
import type { GatewayEnv } from './context.js';
import { requestLogs } from './request-log.js';
import { toPortalError } from '../platform/http/errors.js';
import type client from 'prom-client';
import type { RespondDeps } from './respond.js';
import { registerChatCompletions } from './routes/chat-completions.js';
import { registerCompletions } from './routes/completions.js';
import { registerMessages } from './routes/messages.js';
import { registerModels } from './routes/models.js';
import { headerOf } from '../platform/http/node-io.js';

export interface GatewayRoutesDeps extends RespondDeps {
  metering: Metering;
  ipSalt: string;
  /** Failed authentications by code (they leave no request-log row). */
  authFailures?: client.Counter<'code'>;
}

export function createV1App(deps: GatewayRoutesDeps): Hono<GatewayEnv> {
  const v1 = new Hono<GatewayEnv>();
  v1.use('*', requestLogs(deps));
  v1.use('*', authenticate(deps));
  registerChatCompletions(v1, deps);
  registerCompletions(v1, deps);
  registerMessages(v1, deps);
  registerModels(v1, deps.gateway);
  return v1;
}

function authenticate(deps: GatewayRoutesDeps): MiddlewareHandler<GatewayEnv> {
  const { gateway, authFailures } = deps;
  return async function authenticate(c, next) {
    const authorization = headerOf(c, 'authorization');
    let presented: string | undefined;
    if (authorization) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      presented = match?.[1] ?? authorization; // a malformed header fails the format check with a clear 401
    } else presented = headerOf(c, 'x-api-key')?.trim();
    try {
      c.get('callLog').caller = await gateway.authenticate(presented, () => c.get('clientIp'));
    } catch (err) {
      authFailures?.inc({ code: toPortalError(err).code });
      throw err;
    }
    await next();
  };
}

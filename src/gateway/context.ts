/** Hono variables of the /v1 routes: each is set once, by the step that knows it. */
import type { BaseVariables } from '../platform/http/context.js';
import type { Admission, Caller, GatewayCall } from './gateway.js';

export interface GatewayVariables extends BaseVariables {
  /** Set by the authenticate middleware before any /v1 route or request log runs. */
  caller: Caller;
  /** The call as parsed from a valid body (absent on /v1/models and before parsing). */
  call?: GatewayCall;
  /** Set once the call is admitted: from then on respond.ts writes its request log when it finishes. */
  admission?: Admission;
}

export interface GatewayEnv {
  Variables: GatewayVariables;
}

/** Hono variables of the /v1 routes. */
import type { BaseVariables } from '../platform/http/context.js';
import type { Caller } from './gateway.js';

export interface CallLog {
  caller?: Caller;
  modelId?: string;
  poolId?: string | null;
  routerId?: string | null;
  stream: boolean;
  inputTokens: number;
  outputTokens: number;
  ttftMs: number | null;
  clientIpHash: string | null;
  /** Set by streaming routes: they write the request log themselves when the stream ends. */
  deferred: boolean;
}

export interface GatewayEnv {
  Variables: BaseVariables & { callLog: CallLog };
}

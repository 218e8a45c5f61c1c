/**
 * The typed Hono environment shared by every route: variables set by the kernel middleware. Gateway and
 * product routes extend it with their own variables.
 */
import type { ErrorFlavor } from './errors.js';

export interface BaseVariables {
  /** Portal's own id of this request, always generated (x-request-id on the answer). */
  requestId: string;
  /** The client's x-request-id, sanitised, if it sent one (echoed as x-client-request-id). */
  clientRequestId?: string;
  /** performance.now() when the request arrived. */
  startedAt: number;
  /** Which error shape this route answers in. */
  errorFlavor: ErrorFlavor;
  /** The client's address: the socket peer, or left of the trusted proxies' hops (client-ip.ts). */
  clientIp: string;
  /** Route label for metrics (the matched pattern, never the raw path). */
  routeLabel: string;
  /** The error code this request was answered with, if any (for request logs). */
  errorCode?: string;
}

export interface AppEnv {
  Variables: BaseVariables;
}

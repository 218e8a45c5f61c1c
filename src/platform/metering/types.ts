/**
 * What the gateway hands to metering: one usage event per request that reached an upstream, and one request
 * log per request. `record*` never waits on a durable write: it enqueues and returns.
 */
export interface UsageEvent {
  /** Event id (idempotency key for the durable write). */
  id: string;
  requestId: string;
  occurredAt: Date;
  orgId: string;
  keyId: string;
  modelId: string;
  poolId: string | null;
  routerId: string | null;
  endpoint: string;
  stream: boolean;
  status: number;
  errorCode: string | null;
  inputTokens: number;
  outputTokens: number;
  tokensSource: 'upstream' | 'counted';
  latencyMs: number;
  ttftMs: number | null;
  costMicros: number;
}

export interface RequestLog {
  requestId: string;
  occurredAt: Date;
  orgId: string | null;
  keyId: string | null;
  modelId: string | null;
  poolId: string | null;
  routerId: string | null;
  endpoint: string;
  method: string;
  stream: boolean;
  status: number;
  errorCode: string | null;
  latencyMs: number;
  ttftMs: number | null;
  inputTokens: number;
  outputTokens: number;
  clientIpHash: string | null;
  /** The client's x-request-id, sanitised (printable ASCII, at most 128 characters). */
  clientRequestId?: string | null;
  requestBody?: unknown;
  responseBody?: string | null;
}

export interface Metering {
  recordUsage(event: UsageEvent): void;
  recordRequest(log: RequestLog): void;
  /** Writes (or spools) everything queued; called on shutdown. */
  flush(): Promise<void>;
  close(): Promise<void>;
  /** The writer's numbers (queue, spool, failures); absent on test doubles. */
  stats?(): MeteringStats;
}

/** What the writer reports to /metrics and the admin API. */
export interface MeteringStats {
  /** 'ok' while batches reach the store; 'spooling' while the store is down or slow and batches go to disk. */
  state: 'ok' | 'spooling' | 'closed';
  queueDepth: number;
  queueMax: number;
  spoolBytes: number;
  spoolSegments: number;
  eventsRecorded: number;
  /** Usage events newly inserted (replays of already-written events are not counted). */
  eventsWritten: number;
  logsWritten: number;
  /** Events acknowledged to the spool file (fsynced). */
  eventsSpooled: number;
  eventsReplayed: number;
  batchesWritten: number;
  writeFailures: number;
  lastBatchMs: number | null;
  lastError: string | null;
  lastWriteAt: string | null;
}

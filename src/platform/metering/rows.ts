/**
 * The JSON-safe row form of usage events and request logs. Events are converted once, when they leave the
 * queue; the same rows go into the SQL batch (json_to_recordset) and, when the store is away, into the spool
 * file, so a replay writes exactly what the first attempt would have written.
 */
import type { RequestLog, UsageEvent } from './types.js';

export interface EventRow {
  id: string;
  request_id: string;
  occurred_at: string;
  org_id: string;
  key_id: string;
  model_id: string;
  pool_id: string | null;
  router_id: string | null;
  endpoint: string;
  stream: boolean;
  status: number;
  error_code: string | null;
  input_tokens: number;
  output_tokens: number;
  tokens_source: 'upstream' | 'counted';
  latency_ms: number;
  ttft_ms: number | null;
  cost_micros: number;
}

export interface LogRow {
  request_id: string;
  occurred_at: string;
  org_id: string | null;
  key_id: string | null;
  model_id: string | null;
  pool_id: string | null;
  router_id: string | null;
  endpoint: string;
  method: string;
  stream: boolean;
  status: number;
  error_code: string | null;
  latency_ms: number;
  ttft_ms: number | null;
  input_tokens: number;
  output_tokens: number;
  client_ip_hash: string | null;
  client_request_id: string | null;
  request_body: unknown;
  response_body: string | null;
}

/** One unit of writeback: what one SQL statement writes, and what one spool record holds. */
export interface Batch {
  events: EventRow[];
  logs: LogRow[];
}

const INT_MAX = 2_147_483_647;
const int = (n: number) => (Number.isFinite(n) ? Math.min(INT_MAX, Math.max(0, Math.round(n))) : 0);
/** Never throws: an invalid date (a caller's bug) must not take the rest of its batch down with it. */
const iso = (d: Date) => (Number.isFinite(d?.getTime?.()) ? d.toISOString() : new Date().toISOString());
const optInt = (n: number | null) => (n === null || !Number.isFinite(n) ? null : int(n));

export function toEventRow(e: UsageEvent): EventRow {
  return {
    id: e.id,
    request_id: e.requestId,
    occurred_at: iso(e.occurredAt),
    org_id: e.orgId,
    key_id: e.keyId,
    model_id: e.modelId,
    pool_id: e.poolId,
    router_id: e.routerId,
    endpoint: e.endpoint,
    stream: e.stream,
    status: e.status,
    error_code: e.errorCode,
    input_tokens: int(e.inputTokens),
    output_tokens: int(e.outputTokens),
    tokens_source: e.tokensSource,
    latency_ms: int(e.latencyMs),
    ttft_ms: optInt(e.ttftMs),
    cost_micros: Number.isFinite(e.costMicros) ? Math.max(0, Math.ceil(e.costMicros)) : 0,
  };
}

export function toLogRow(l: RequestLog): LogRow {
  return {
    request_id: l.requestId,
    occurred_at: iso(l.occurredAt),
    org_id: l.orgId,
    key_id: l.keyId,
    model_id: l.modelId,
    pool_id: l.poolId,
    router_id: l.routerId,
    endpoint: l.endpoint,
    method: l.method,
    stream: l.stream,
    status: l.status,
    error_code: l.errorCode,
    latency_ms: int(l.latencyMs),
    ttft_ms: optInt(l.ttftMs),
    input_tokens: int(l.inputTokens),
    output_tokens: int(l.outputTokens),
    client_ip_hash: l.clientIpHash,
    client_request_id: l.clientRequestId ?? null,
    request_body: l.requestBody ?? null,
    response_body: l.responseBody ?? null,
  };
}

/**
 * Cost of a request in micro-units from per-million-token prices, rounded up so a request never costs zero
 * by rounding. Example: costMicros(1000, 500, 50_000, 200_000) === 150.
 */
export function costMicros(
  inputTokens: number,
  outputTokens: number,
  inputPricePerMTok: number,
  outputPricePerMTok: number,
): number {
  return Math.ceil((inputTokens * inputPricePerMTok + outputTokens * outputPricePerMTok) / 1_000_000);
}

/** Splits a batch into batches of at most `size` events and `size` logs, in order (one empty batch if empty). */
export function* chunks(batch: Batch, size: number): Generator<Batch> {
  const n = Math.max(batch.events.length, batch.logs.length, 1);
  for (let i = 0; i < n; i += size)
    yield { events: batch.events.slice(i, i + size), logs: batch.logs.slice(i, i + size) };
}

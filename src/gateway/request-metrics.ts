/**
 * The /v1 request metrics, recorded once per authenticated request from its request-log row (request-log.ts
 * calls `record` right after handing the row to metering): a count by model, endpoint, status, error code
 * and stream, and for admitted calls their duration and time to first token by model. Requests refused at
 * authentication leave no row and are counted in `portal_gateway_auth_failures_total`.
 *
 * Labels are bounded by construction: `model` is a catalog model id (`other` for a name the catalog does
 * not know, `none` when the request named none), `error_code` one of the closed ErrorCode union (`other`
 * otherwise, `none` on success), `endpoint` the route label. Each label set is resolved once to a slot
 * (metrics-slots.ts); a request walks a few Map lookups and adds numbers, nothing is allocated.
 */
import type client from 'prom-client';
import { ERROR_CODES } from '#src/platform/http/errors.js';
import type { RequestLog } from '#src/platform/metering/types.js';
import {
  entry,
  slotCounter,
  slotHistogram,
  type CounterSlot,
  type HistogramSlot,
} from '#src/platform/metrics-slots.js';

export interface RequestMetrics {
  /** Counts one finished request; `requested` is the model name of a call that was not admitted. */
  record(row: RequestLog, requested: string | undefined): void;
}

/** Seconds; a chat answer runs from tens of milliseconds (refusals excluded) to minutes for long streams. */
const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300];
/** Seconds; what a streaming client waits before its first token (queueing at the router included). */
const TTFT_BUCKETS = [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 20, 30];

/** The error_code label takes no value outside the closed list. */
const KNOWN_CODES = new Set<string>(ERROR_CODES);

/** endpoint → status → error code → [not streamed, streamed]. */
type BySlot = Map<string, Map<number, Map<string, Array<CounterSlot | undefined>>>>;

interface ModelSlots {
  model: string;
  requests: BySlot;
  duration: HistogramSlot;
  ttft: HistogramSlot;
}

const newMap = <K, V>() => new Map<K, V>();
const newPair = (): Array<CounterSlot | undefined> => [undefined, undefined];

export function createRequestMetrics(
  registry: client.Registry,
  catalog: { resolve(name: string): { id: string } | undefined },
): RequestMetrics {
  const requests = slotCounter(
    registry,
    'portal_requests_total',
    '/v1 requests that passed authentication, by catalog model, endpoint, status, error code and stream',
    ['model', 'endpoint', 'status', 'error_code', 'stream'],
  );
  const duration = slotHistogram(
    registry,
    'portal_request_duration_seconds',
    'Admitted /v1 calls: time from the request to the last byte of the answer (a stream to its end)',
    ['model'],
    DURATION_BUCKETS,
  );
  const ttft = slotHistogram(
    registry,
    'portal_time_to_first_token_seconds',
    'Streamed /v1 calls: time from the request to the first token sent to the client',
    ['model'],
    TTFT_BUCKETS,
  );
  const models = new Map<string, ModelSlots>();
  const slotsOf = (model: string): ModelSlots => ({
    model,
    requests: new Map(),
    duration: duration.slot({ model }),
    ttft: ttft.slot({ model }),
  });

  function counterSlot(m: ModelSlots, row: RequestLog, code: string): CounterSlot {
    const pair = entry(
      entry(
        entry(m.requests, row.endpoint, newMap<number, Map<string, Array<CounterSlot | undefined>>>),
        row.status,
        newMap<string, Array<CounterSlot | undefined>>,
      ),
      code,
      newPair,
    );
    const i = row.stream ? 1 : 0;
    return (pair[i] ??= requests.slot({
      model: m.model,
      endpoint: row.endpoint,
      status: String(row.status),
      error_code: code,
      stream: row.stream ? 'true' : 'false',
    }));
  }

  return {
    record(row, requested) {
      const model =
        row.modelId ?? (requested === undefined ? 'none' : (catalog.resolve(requested)?.id ?? 'other'));
      const m = entry(models, model, slotsOf);
      const code = row.errorCode === null ? 'none' : KNOWN_CODES.has(row.errorCode) ? row.errorCode : 'other';
      counterSlot(m, row, code).value++;
      if (row.modelId === null) return; // refused before admission: no call to time
      duration.observe(m.duration, row.latencyMs / 1000);
      if (row.ttftMs !== null) ttft.observe(m.ttft, row.ttftMs / 1000);
    },
  };
}

/**
 * What an upstream adapter is: pure transforms between Portal's InferenceRequest and one upstream's wire
 * format. No I/O here: ../upstream/net.ts sends what `buildRequest` describes and feeds the answers back.
 */
import type { OutputParser } from '../templates/parsers/index.js';
import type { NativeCalls } from './openai-tools.js';
import type { FinishReason, InferenceRequest, StreamPiece, ToolCall, UpstreamUsage } from '../types.js';
import type { StopFilter } from '../upstream/stop-filter.js';

export type ApiVersion = 'v1' | 'v2' | 'v3';

/** Where one attempt goes: a router (and session) or an OpenAI-compatible server. */
export interface UpstreamTarget {
  baseUrl: string;
  /** The bearer key, resolved from the router's secret reference at the last moment; never logged. */
  apiKey?: string;
  /** Cortensor: the session the completion runs in. */
  sessionId?: number;
  /** Cortensor: completion path version. */
  apiVersion?: ApiVersion;
  /** OpenAI-compatible: model name the server knows. */
  upstreamModel?: string;
}

export interface HttpRequestSpec {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** Why an attempt failed, for retry decisions and logs. `detail` is for operators only, never customers. */
export interface UpstreamFailure {
  kind: 'error' | 'timeout' | 'unavailable';
  retryable: boolean;
  status?: number;
  retryAfterMs?: number;
  detail: string;
}

export interface UpstreamAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface ParsedCompletion {
  text: string;
  reasoning?: string;
  toolCalls?: ToolCall[];
  finishReason: FinishReason;
  usage?: UpstreamUsage;
}

export type ParsedResponse =
  | { kind: 'completion'; completion: ParsedCompletion }
  /**
   * The answer is not ready (Cortensor off-chain results): ask `next` (polling the task), or the same
   * request again when the upstream named no task, within the deadline.
   */
  | { kind: 'pending'; next?: HttpRequestSpec }
  | { kind: 'failure'; failure: UpstreamFailure };

export interface StreamStep {
  pieces: StreamPiece[];
  /** True once the stream's answer is complete (an 'end' piece was emitted). */
  done: boolean;
  failure?: UpstreamFailure;
}

/** Mutable per-stream parsing state, owned by one stream. */
export interface StreamState {
  started: boolean;
  /** The upstream stream being followed when several interleave (Cortensor miners). */
  streamKey?: string;
  finishReason?: FinishReason;
  usage?: UpstreamUsage;
  /** Characters emitted so far (text, reasoning and call arguments). */
  emitted: number;
  filter: StopFilter;
  /** Model text → neutral pieces (templated chat); absent: text passes through. */
  parser?: OutputParser;
  /** OpenAI-compatible upstreams: native calls streamed as `tool_calls` deltas. */
  native?: NativeCalls;
}

export interface UpstreamAdapter {
  readonly kind: 'cortensor' | 'openai';
  buildRequest(request: InferenceRequest, target: UpstreamTarget, stream: boolean): HttpRequestSpec;
  /** Parses a complete (non-streamed) answer, or a poll answer for a pending one. */
  parseResponse(
    answer: UpstreamAnswer,
    call: { request: InferenceRequest; target: UpstreamTarget },
  ): ParsedResponse;
  initStreamState(request: InferenceRequest): StreamState;
  /** One SSE `data` payload; `[DONE]` included. */
  parseEvent(data: string, state: StreamState): StreamStep;
  /** The stream ended (connection closed): the final step, or a failure if the answer was cut. */
  endStream(state: StreamState): StreamStep;
  /** Requests that tell whether the upstream is alive. */
  probes(target: UpstreamTarget): HttpRequestSpec[];
}

/**
 * The contract between the gateway and the inference layer. The gateway hands over a provider-neutral
 * request for a product model; the inference layer picks a pool, a healthy router and a session, speaks the
 * upstream's own API, retries on another router while nothing has reached the client, and gives back text
 * (whole, or as a stream of pieces) with the upstream's token counts when it had them.
 */
import type { PortalError } from '../platform/http/errors.js';
export type ChatRole = 'system' | 'developer' | 'user' | 'assistant' | 'tool';

export interface ChatMessage {
  role: ChatRole;
  /** Text content; multi-part content is flattened to text by the gateway. */
  content: string;
  name?: string;
}

/** A product model as the catalog knows it (cached per instance). */
export interface CatalogModel {
  id: string;
  displayName: string;
  description: string;
  contextWindow: number;
  maxOutputTokens: number;
  defaultMaxTokens: number;
  template: string;
  inputPricePerMTok: number;
  outputPricePerMTok: number;
  aliases: string[];
  status: 'enabled' | 'disabled';
  createdAt: Date;
}

export interface InferenceRequest {
  requestId: string;
  model: CatalogModel;
  /** Chat requests: messages, turned into one prompt by the model family's template for Cortensor. */
  messages?: ChatMessage[];
  /** Legacy completions: the raw prompt, sent as is. */
  prompt?: string;
  maxTokens: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stop?: string[];
  presencePenalty?: number;
  frequencyPenalty?: number;
  /** Absolute deadline (epoch ms) for the whole request, retries included. */
  deadline: number;
  /** Aborted when the client goes away: the upstream request is cancelled. */
  signal: AbortSignal;
}

export type FinishReason = 'stop' | 'length' | 'error';

export interface UpstreamUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface RouteInfo {
  poolId: string;
  routerId: string;
}

export interface Completion {
  text: string;
  finishReason: FinishReason;
  /** Present when the upstream reported it; otherwise the gateway counts tokens itself. */
  usage?: UpstreamUsage;
  route: RouteInfo;
}

export type StreamPiece =
  { type: 'text'; text: string } | { type: 'end'; finishReason: FinishReason; usage?: UpstreamUsage };

export interface CompletionStream {
  route: RouteInfo;
  /**
   * Pieces as the upstream produces them, one batch per network read (so a consumer can forward what arrived
   * together in one write, and pays the async-iteration cost once per read, not per token). Ends after the
   * batch holding the one 'end' piece. If the upstream fails after the stream started, iteration throws a
   * PortalError (upstream_error / upstream_timeout) after the pieces that arrived before the failure;
   * aborting the request's signal ends it quietly.
   */
  batches: AsyncIterable<StreamPiece[]>;
}

export interface Inference {
  /**
   * Non-streamed completion. Throws PortalError: upstream_unavailable (no healthy router, pool drained or
   * disabled; with a retry-after header), upstream_timeout (deadline passed), upstream_error.
   */
  complete(request: InferenceRequest): Promise<Completion>;
  /**
   * Streamed completion. Resolves once an upstream has accepted the request (status 200 and stream open),
   * so failures before that are retried on another router and surface as a thrown PortalError.
   */
  stream(request: InferenceRequest): Promise<CompletionStream>;
  /** Whether some pool can serve this model now (active pool with at least one routable router). */
  canServe(modelId: string): boolean;
  /** Why the model cannot be served now (maintenance, no healthy router, at capacity), or undefined if it can. */
  unavailable(modelId: string): PortalError | undefined;
}

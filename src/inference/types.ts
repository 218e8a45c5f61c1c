/**
 * The contract between the gateway and the inference layer. The gateway hands over a provider-neutral
 * request for a product model; the inference layer picks a pool, a healthy router and a session, speaks the
 * upstream's own API, retries on another router while nothing has reached the client, and gives back text
 * (whole, or as a stream of pieces) with the upstream's token counts when it had them.
 */
import type { CancelSignal } from '../platform/cancellation.js';
import type { UpstreamError } from './failures.js';
export type ChatRole = 'system' | 'developer' | 'user' | 'assistant' | 'tool';

export interface ChatMessage {
  role: ChatRole;
  /** Text content; multi-part content is flattened to text by the gateway. */
  content: string;
  name?: string;
  /** Assistant turns: the calls the model made (OpenAI `tool_calls`, Anthropic `tool_use` blocks). */
  toolCalls?: ToolCall[];
  /** Tool turns: which call this result answers (OpenAI `tool_call_id`, Anthropic `tool_use_id`). */
  toolCallId?: string;
  /** Assistant turns: earlier reasoning, kept by templates that re-render it inside a tool loop. */
  reasoning?: string;
}

/** JSON Schema, as the client sent it (validated as an object, not interpreted by the gateway). */
export type JsonSchema = Record<string, unknown>;

/** A function the model may call (OpenAI `tools[].function`, Anthropic `tools[]` with `input_schema`). */
export interface ToolDefinition {
  name: string;
  description?: string;
  parameters?: JsonSchema;
  /** OpenAI `strict: true`: the arguments must validate against `parameters`. */
  strict?: boolean;
}

/** Provider-neutral tool choice: OpenAI none/auto/required/named, Anthropic none/auto/any/tool. */
export type ToolChoice =
  { type: 'auto' } | { type: 'none' } | { type: 'required' } | { type: 'function'; name: string };

/** One call the model made. `arguments` is the JSON text of the arguments object (as OpenAI sends it). */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

export type ReasoningEffort = 'low' | 'medium' | 'high';

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: JsonSchema; strict?: boolean };

/** What a model can do beyond plain chat, derived from its template family (for `/v1/models`). */
export interface ModelCapabilities {
  /** Function calling (tools, tool_choice): the template renders tools and its parser reads calls. */
  tools: boolean;
  /** Reasoning text comes back split from the answer (harmony analysis, <think>, Gemma 4 thought). */
  reasoning: boolean;
  /** response_format json_object / json_schema (schema in the prompt, answer validated by the gateway). */
  json: boolean;
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
  /** Optional for callers that build models by hand; the catalog always fills it (capabilitiesOf). */
  capabilities?: ModelCapabilities;
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
  /** Functions the model may call; absent or empty means a plain answer. */
  tools?: ToolDefinition[];
  /** Defaults to auto when tools are given. */
  toolChoice?: ToolChoice;
  /** Defaults to true (OpenAI's default). */
  parallelToolCalls?: boolean;
  /** Harmony's reasoning level; other families ignore it. */
  reasoningEffort?: ReasoningEffort;
  /** Whether reasoning text is wanted back (Anthropic `thinking`); OpenAI chat always gets reasoning_content. */
  includeReasoning?: boolean;
  responseFormat?: ResponseFormat;
  /** Absolute deadline (epoch ms) for the whole request, retries included. */
  deadline: number;
  /** Aborted when the client goes away: the upstream request is cancelled. */
  signal: CancelSignal;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'error';

export interface UpstreamUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface RouteInfo {
  poolId: string;
  routerId: string;
}

export interface Completion {
  /** The answer's content, with tool-call markup and reasoning removed. */
  text: string;
  /** Reasoning (harmony analysis channel, <think>…</think>), split from the answer; never part of `text`. */
  reasoning?: string;
  /** Calls parsed from the model's native syntax (or passed through from an OpenAI-compatible upstream). */
  toolCalls?: ToolCall[];
  finishReason: FinishReason;
  /** Present when the upstream reported it; otherwise the gateway counts tokens itself. */
  usage?: UpstreamUsage;
  route: RouteInfo;
}

/**
 * What a stream yields. Tool calls arrive as one `tool_call` piece (index, id, name) followed by any number of
 * `tool_call_args` fragments for the same index, the concatenation of which is the arguments' JSON text.
 */
export type StreamPiece =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  | { type: 'tool_call'; index: number; id: string; name: string }
  | { type: 'tool_call_args'; index: number; text: string }
  | { type: 'end'; finishReason: FinishReason; usage?: UpstreamUsage };

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
   * disabled; saying when to retry), upstream_timeout (deadline passed), upstream_error.
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
  unavailable(modelId: string): UpstreamError | undefined;
}

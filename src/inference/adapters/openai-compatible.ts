/**
 * OpenAI-compatible upstreams (vLLM, llama.cpp server, Ollama's /v1): chat requests go to
 * `/v1/chat/completions`, legacy prompts to `/v1/completions`, with the pool's upstream model name. Tools go
 * natively by default (./openai-tools.ts); with `toolCalling: 'prompt'` (servers without native tool
 * support) a chat is rendered by the model's template and sent to `/v1/completions`, and its text parsed by
 * the family's output parser, as for Cortensor. One factory, so another base path or mode is a call.
 */
import { outputParserFor, renderRequest } from '../templates/request.js';
import type { InferenceRequest, StreamPiece } from '../types.js';
import { cutAtStop, createStopFilter } from '../upstream/stop-filter.js';
import { endStream, modelPieces, parseModelText, streamChoice, usageOf } from './cortensor.js';
import { plainContentDelta } from './openai-chunk.js';
import { failureFromStatus, isRecord, malformed, safeJson, upstreamErrorMessage } from './errors.js';
import {
  createNativeCalls,
  nativeAnswer,
  nativeDeltaPieces,
  wireMessage,
  wireToolFields,
} from './openai-tools.js';
import { samplingFields } from './sampling.js';
import type { ParsedResponse, StreamState, StreamStep, UpstreamAdapter, UpstreamTarget } from './types.js';

export interface OpenAiCompatibleOptions {
  /** Path prefix before `/chat/completions` (default `/v1`). */
  basePath?: string;
  /** `native` (default): tools in OpenAI's shape; `prompt`: rendered by the model's template. */
  toolCalling?: 'native' | 'prompt';
}

/** Whether this request goes as a templated raw prompt. */
const templated = (request: InferenceRequest, prompt: boolean) => prompt && request.messages !== undefined;

function stopsOf(request: InferenceRequest, prompt: boolean): string[] {
  const user = request.stop ?? [];
  return templated(request, prompt) ? [...renderRequest(request).stop, ...user] : [...user];
}

function buildBody(request: InferenceRequest, target: UpstreamTarget, stream: boolean, prompt: boolean) {
  const stop = stopsOf(request, prompt);
  const input = templated(request, prompt)
    ? { prompt: renderRequest(request).prompt }
    : request.messages
      ? { messages: request.messages.map(wireMessage), ...wireToolFields(request) }
      : { prompt: request.prompt ?? '' };
  return {
    model: target.upstreamModel ?? request.model.id,
    ...input,
    ...samplingFields(request, stop),
    stream,
    stream_options: stream ? { include_usage: true } : undefined,
    user: request.requestId,
  };
}

function finishOf(value: unknown) {
  if (value === null || value === undefined) return undefined;
  if (value === 'tool_calls' || value === 'function_call') return 'tool_calls' as const;
  return value === 'length' ? ('length' as const) : ('stop' as const);
}

/** `message.content` (chat), `delta.content` (chat stream) or `text` (legacy completions). */
function choiceText(choice: Record<string, unknown>): string | undefined {
  for (const holder of [choice.message, choice.delta])
    if (isRecord(holder) && (typeof holder.content === 'string' || holder.content === null))
      return holder.content ?? '';
  return typeof choice.text === 'string' ? choice.text : undefined;
}

function parseResponse(
  answer: { status: number; headers: Record<string, string>; body: string },
  call: { request: InferenceRequest },
  prompt: boolean,
): ParsedResponse {
  if (answer.status !== 200)
    return { kind: 'failure', failure: failureFromStatus(answer.status, answer.headers, answer.body) };
  const body = safeJson(answer.body);
  if (!isRecord(body)) return { kind: 'failure', failure: malformed('not a JSON object') };
  const choice = Array.isArray(body.choices) && isRecord(body.choices[0]) ? body.choices[0] : undefined;
  const text = choice ? choiceText(choice) : undefined;
  if (!choice || text === undefined) {
    const message = upstreamErrorMessage(body) ?? 'no choices';
    return { kind: 'failure', failure: { kind: 'error', retryable: true, detail: message } };
  }
  const cut = cutAtStop(text, stopsOf(call.request, prompt));
  const native = nativeAnswer(choice.message);
  let finishReason = cut.stopped ? 'stop' : (finishOf(choice.finish_reason) ?? 'stop');
  if (native.toolCalls && finishReason === 'stop') finishReason = 'tool_calls';
  if (!native.toolCalls && finishReason === 'tool_calls') finishReason = 'stop';
  const parsed: ParsedResponse = {
    kind: 'completion',
    completion: { text: cut.text, ...native, finishReason, usage: usageOf(body.usage) },
  };
  return templated(call.request, prompt) ? parseModelText(parsed, call.request) : parsed;
}

/** A streamed event: a text-only chunk without parsing it (openai-chunk.ts), any other as parsed JSON. */
export function parseEvent(data: string, state: StreamState): StreamStep {
  const text = plainContentDelta(data);
  if (text === undefined) return parseEventJson(data, state);
  // What parseEventJson does for such a chunk: no usage, no native pieces, no finish reason but a stop.
  state.started = true;
  const out = state.filter.push(text);
  if (out.stopped) state.finishReason = 'stop';
  return { pieces: modelPieces(state, out.text), done: false };
}

/** A streamed event, parsed whole. Exported for openai-chunk.test.ts, which checks parseEvent against it. */
export function parseEventJson(data: string, state: StreamState): StreamStep {
  const head = streamChoice(data, state, (event) => {
    const usage = usageOf(event.usage);
    if (usage) state.usage = usage;
  });
  if ('step' in head) return head.step;
  const { choice } = head;
  state.started = true;
  const pieces: StreamPiece[] = state.native ? nativeDeltaPieces(state.native, choice.delta) : [];
  for (const p of pieces) if ('text' in p) state.emitted += p.text.length;
  const out = state.filter.push(choiceText(choice) ?? '');
  pieces.push(...modelPieces(state, out.text));
  const finish = out.stopped ? 'stop' : finishOf(choice.finish_reason);
  if (finish) state.finishReason = finish === 'tool_calls' ? 'stop' : finish;
  // Usage follows the finish chunk in its own event: wait for [DONE] (or the end of the body).
  return { pieces, done: false };
}

function initStreamState(request: InferenceRequest, prompt: boolean): StreamState {
  const state: StreamState = {
    started: false,
    emitted: 0,
    filter: createStopFilter(stopsOf(request, prompt)),
  };
  const parser = templated(request, prompt) ? outputParserFor(request) : undefined;
  if (parser) state.parser = parser;
  else if (request.messages) state.native = createNativeCalls();
  return state;
}

/** An adapter for one family of OpenAI-compatible servers. */
export function createOpenAiCompatibleAdapter(options: OpenAiCompatibleOptions = {}): UpstreamAdapter {
  const basePath = options.basePath ?? '/v1';
  const prompt = options.toolCalling === 'prompt';
  const headersFor = (target: UpstreamTarget): Record<string, string> =>
    target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {};
  return {
    kind: 'openai',
    buildRequest(request, target, stream) {
      const path = request.messages && !prompt ? '/chat/completions' : '/completions';
      return {
        method: 'POST',
        url: `${target.baseUrl}${basePath}${path}`,
        headers: { ...headersFor(target), 'content-type': 'application/json' },
        body: JSON.stringify(buildBody(request, target, stream, prompt)),
      };
    },
    parseResponse: (answer, call) => parseResponse(answer, call, prompt),
    initStreamState: (request) => initStreamState(request, prompt),
    parseEvent,
    endStream,
    probes: (target) => [
      { method: 'GET', url: `${target.baseUrl}${basePath}/models`, headers: headersFor(target) },
    ],
  };
}

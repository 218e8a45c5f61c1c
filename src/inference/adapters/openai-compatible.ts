/**
 * OpenAI-compatible upstreams (vLLM, llama.cpp server, Ollama's /v1): chat requests go to
 * `/v1/chat/completions`, legacy prompts to `/v1/completions`, with the pool's upstream model name. One
 * factory, so a server with another base path is a call, not a copy.
 */
import type { ChatMessage, InferenceRequest } from '../types.js';
import { cutAtStop, createStopFilter } from '../upstream/stop-filter.js';
import { endPieces, usageOf } from './cortensor.js';
import { failureFromStatus, isRecord, malformed, safeJson, upstreamErrorMessage } from './errors.js';
import type { ParsedResponse, StreamState, StreamStep, UpstreamAdapter, UpstreamTarget } from './types.js';

export interface OpenAiCompatibleOptions {
  /** Path prefix before `/chat/completions` (default `/v1`). */
  basePath?: string;
}

/** Roles every server accepts: `developer` becomes `system`; tool results become user turns. */
function wireMessage(m: ChatMessage): { role: string; content: string } {
  if (m.role === 'developer') return { role: 'system', content: m.content };
  if (m.role === 'tool') return { role: 'user', content: `Tool result:\n${m.content}` };
  return { role: m.role, content: m.content };
}

function buildBody(request: InferenceRequest, target: UpstreamTarget, stream: boolean) {
  return {
    model: target.upstreamModel ?? request.model.id,
    ...(request.messages
      ? { messages: request.messages.map(wireMessage) }
      : { prompt: request.prompt ?? '' }),
    max_tokens: request.maxTokens,
    temperature: request.temperature,
    top_p: request.topP,
    top_k: request.topK,
    presence_penalty: request.presencePenalty,
    frequency_penalty: request.frequencyPenalty,
    stop: request.stop?.length ? request.stop : undefined,
    stream,
    stream_options: stream ? { include_usage: true } : undefined,
    user: request.requestId,
  };
}

function finishOf(value: unknown) {
  if (value === null || value === undefined) return undefined;
  return value === 'length' ? ('length' as const) : ('stop' as const);
}

/** `message.content` (chat), `delta.content` (chat stream) or `text` (legacy completions). */
function choiceText(choice: Record<string, unknown>): string | undefined {
  for (const holder of [choice.message, choice.delta])
    if (isRecord(holder) && typeof holder.content === 'string') return holder.content;
  return typeof choice.text === 'string' ? choice.text : undefined;
}

function parseResponse(
  answer: { status: number; headers: Record<string, string>; body: string },
  call: { request: InferenceRequest },
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
  const cut = cutAtStop(text, call.request.stop ?? []);
  return {
    kind: 'completion',
    completion: {
      text: cut.text,
      finishReason: cut.stopped ? 'stop' : (finishOf(choice.finish_reason) ?? 'stop'),
      usage: usageOf(body.usage),
    },
  };
}

function parseEvent(data: string, state: StreamState): StreamStep {
  if (data.trim() === '[DONE]') return { pieces: endPieces(state), done: true };
  const event = safeJson(data);
  if (!isRecord(event)) return { pieces: [], done: false };
  const usage = usageOf(event.usage);
  if (usage) state.usage = usage;
  const choice = Array.isArray(event.choices) && isRecord(event.choices[0]) ? event.choices[0] : undefined;
  if (!choice) {
    const message = upstreamErrorMessage(event);
    if (message)
      return { pieces: [], done: false, failure: { kind: 'error', retryable: true, detail: message } };
    return { pieces: [], done: false };
  }
  state.started = true;
  const out = state.filter.push(choiceText(choice) ?? '');
  state.emitted += out.text.length;
  const finish = out.stopped ? 'stop' : finishOf(choice.finish_reason);
  if (finish) state.finishReason = finish;
  // Usage follows the finish chunk in its own event: wait for [DONE] (or the end of the body).
  return { pieces: out.text ? [{ type: 'text', text: out.text }] : [], done: false };
}

function endStream(state: StreamState): StreamStep {
  if (state.finishReason) return { pieces: endPieces(state), done: true };
  return { pieces: [], done: true, failure: { kind: 'error', retryable: true, detail: 'stream cut short' } };
}

/** An adapter for one family of OpenAI-compatible servers. */
export function createOpenAiCompatibleAdapter(options: OpenAiCompatibleOptions = {}): UpstreamAdapter {
  const basePath = options.basePath ?? '/v1';
  const headersFor = (target: UpstreamTarget): Record<string, string> =>
    target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {};
  return {
    kind: 'openai',
    buildRequest(request, target, stream) {
      const path = request.messages ? '/chat/completions' : '/completions';
      return {
        method: 'POST',
        url: `${target.baseUrl}${basePath}${path}`,
        headers: { ...headersFor(target), 'content-type': 'application/json' },
        body: JSON.stringify(buildBody(request, target, stream)),
      };
    },
    parseResponse,
    initStreamState: (request) => ({
      started: false,
      emitted: 0,
      filter: createStopFilter(request.stop ?? []),
    }),
    parseEvent,
    endStream,
    probes: (target) => [
      { method: 'GET', url: `${target.baseUrl}${basePath}/models`, headers: headersFor(target) },
    ],
  };
}

/**
 * The Cortensor router adapter: chat messages become one raw prompt through the model family's template,
 * sent to `/api/{v1|v2|v3}/completions/{session}`; answers come back in the legacy text-completion shape,
 * possibly one choice per miner, as interleaved miner streams, without usage, or as a pending off-chain
 * result to poll. Pure transforms; see ./types.ts.
 */
import { collectPieces, createOutputParser, type OutputParser } from '../templates/parsers/index.js';
import { outputParserFor, parserOptions, renderRequest } from '../templates/request.js';
import type { FinishReason, InferenceRequest, StreamPiece, UpstreamUsage } from '../types.js';
import { cutAtStop, createStopFilter } from '../upstream/stop-filter.js';
import { failureFromStatus, isRecord, malformed, safeJson, upstreamErrorMessage } from './errors.js';
import { samplingFields } from './sampling.js';
import type {
  HttpRequestSpec,
  ParsedResponse,
  StreamState,
  StreamStep,
  UpstreamAdapter,
  UpstreamAnswer,
  UpstreamTarget,
} from './types.js';

/** Seconds the router may spend; capped like the router's own nginx read timeout. */
const MAX_ROUTER_TIMEOUT_S = 300;

function authHeaders(target: UpstreamTarget): Record<string, string> {
  return target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {};
}

/** The prompt and stop sequences of a request: templated chat, or a legacy prompt sent as is. */
export function promptFor(request: InferenceRequest): { prompt: string; stop: string[] } {
  const userStops = request.stop ?? [];
  if (request.messages) {
    const rendered = renderRequest(request);
    return { prompt: rendered.prompt, stop: [...rendered.stop, ...userStops] };
  }
  return { prompt: request.prompt ?? '', stop: [...userStops] };
}

function buildBody(request: InferenceRequest, target: UpstreamTarget, stream: boolean) {
  const { prompt, stop } = promptFor(request);
  const seconds = Math.ceil((request.deadline - Date.now()) / 1000);
  const timeout = Math.max(1, Math.min(MAX_ROUTER_TIMEOUT_S, seconds));
  return {
    session_id: target.sessionId,
    prompt,
    prompt_type: 1,
    prompt_template: '',
    stream,
    timeout,
    precommit_timeout: Math.max(1, Math.ceil(timeout / 2)),
    client_reference: request.requestId,
    ...samplingFields(request, stop),
  };
}

function finishOf(value: unknown): FinishReason | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  return value === 'length' ? 'length' : 'stop';
}

export function usageOf(value: unknown): UpstreamUsage | undefined {
  if (!isRecord(value)) return undefined;
  const { prompt_tokens: promptTokens, completion_tokens: completionTokens } = value;
  if (typeof promptTokens !== 'number' || typeof completionTokens !== 'number') return undefined;
  return { promptTokens, completionTokens };
}

function taskPoll(target: UpstreamTarget, taskId: unknown): HttpRequestSpec | undefined {
  if (typeof taskId !== 'number' && typeof taskId !== 'string') return undefined;
  const url = `${target.baseUrl}/api/v1/tasks/${target.sessionId ?? 0}/${encodeURIComponent(String(taskId))}`;
  return { method: 'GET', url, headers: authHeaders(target) };
}

/** `{"status":"ended","message":"No content","result_data":"urn:blob:..."}`: the result is not ready. */
function isPending(body: Record<string, unknown>): boolean {
  return !Array.isArray(body.choices) && ('result_data' in body || body.message === 'No content');
}

/** A task record: done when status is 4 or finished_at is set; the answer is the first result. */
function parseTask(body: Record<string, unknown>): ParsedResponse | undefined {
  if (!('results' in body) && !('assigned_miners' in body)) return undefined;
  const done = body.status === 4 || (typeof body.finished_at === 'number' && body.finished_at > 0);
  const data = isRecord(body.results) && Array.isArray(body.results.data) ? body.results.data : [];
  const text = data.find((d): d is string => typeof d === 'string' && d.length > 0);
  if (!done || text === undefined) return { kind: 'pending' };
  return { kind: 'completion', completion: { text, finishReason: 'stop' } };
}

function parseChoices(choices: unknown[], stops: string[]): ParsedResponse {
  const texts = choices.filter(isRecord).filter((c) => typeof c.text === 'string');
  const chosen = texts.find((c) => finishOf(c.finish_reason)) ?? texts[0];
  if (!chosen) return { kind: 'failure', failure: malformed('no choice with text') };
  const cut = cutAtStop(chosen.text as string, stops);
  const finishReason = cut.stopped ? 'stop' : (finishOf(chosen.finish_reason) ?? 'stop');
  return { kind: 'completion', completion: { text: cut.text, finishReason } };
}

function parseResponse(
  answer: UpstreamAnswer,
  call: { request: InferenceRequest; target: UpstreamTarget },
): ParsedResponse {
  if (answer.status !== 200)
    return { kind: 'failure', failure: failureFromStatus(answer.status, answer.headers, answer.body) };
  const body = safeJson(answer.body);
  if (!isRecord(body)) return { kind: 'failure', failure: malformed('not a JSON object') };
  const task = parseTask(body);
  if (task) return parseModelText(task, call.request);
  if (isPending(body)) return { kind: 'pending', next: taskPoll(call.target, body.task_id) };
  if (!Array.isArray(body.choices)) {
    const message = upstreamErrorMessage(body) ?? 'no choices';
    return { kind: 'failure', failure: { kind: 'error', retryable: true, detail: message } };
  }
  const parsed = parseModelText(parseChoices(body.choices, promptFor(call.request).stop), call.request);
  if (parsed.kind === 'completion') parsed.completion.usage = usageOf(body.usage);
  return parsed;
}

/**
 * A chat answer's text through the template's output parser: reasoning and calls split from the answer
 * (the same parser as streams, over the whole text); `tool_calls` when the model stopped after calls.
 */
export function parseModelText(parsed: ParsedResponse, request: InferenceRequest): ParsedResponse {
  if (parsed.kind !== 'completion' || !request.messages) return parsed;
  const parser = createOutputParser(
    request.model.template,
    parserOptions(request, renderRequest(request).prefill),
  );
  const out = collectPieces([...parser.push(parsed.completion.text), ...parser.end()]);
  const { finishReason } = parsed.completion;
  const completion = {
    ...parsed.completion,
    text: out.text,
    finishReason: out.toolCalls.length && finishReason === 'stop' ? ('tool_calls' as const) : finishReason,
  };
  if (out.reasoning) completion.reasoning = out.reasoning;
  if (out.toolCalls.length) completion.toolCalls = out.toolCalls;
  return { kind: 'completion', completion };
}

function initStreamState(request: InferenceRequest): StreamState {
  const state: StreamState = {
    started: false,
    emitted: 0,
    filter: createStopFilter(promptFor(request).stop),
  };
  const parser = outputParserFor(request);
  if (parser) state.parser = parser;
  return state;
}

/** Model text that passed the stop filter, as pieces: through the output parser when there is one. */
export function modelPieces(state: StreamState, text: string): StreamPiece[] {
  const pieces: StreamPiece[] = state.parser ? state.parser.push(text) : text ? [{ type: 'text', text }] : [];
  for (const p of pieces) if ('text' in p) state.emitted += p.text.length;
  return pieces;
}

function textPieces(state: StreamState, text: string): { pieces: StreamPiece[]; stopped: boolean } {
  const out = state.filter.push(text);
  return { pieces: modelPieces(state, out.text), stopped: out.stopped };
}

function finalPieces(state: StreamState, parser: OutputParser | undefined): StreamPiece[] {
  const pieces = parser ? parser.end() : [];
  for (const p of pieces) if ('text' in p) state.emitted += p.text.length;
  return pieces;
}

/** The stream's last pieces: what the filter and parser held back, then the end (tool_calls after calls). */
export function endPieces(state: StreamState): StreamPiece[] {
  const rest = [...modelPieces(state, state.filter.flush()), ...finalPieces(state, state.parser)];
  let finishReason = state.finishReason ?? 'stop';
  if (finishReason === 'stop' && (state.parser?.calls() || state.native?.count)) finishReason = 'tool_calls';
  return [...rest, { type: 'end', finishReason, usage: state.usage }];
}

type EventRecord = Record<string, unknown>;

/**
 * The start both streams share: `[DONE]` ends the stream and an unreadable event is skipped; an event
 * without choices fails the attempt (retryably) when it carries an upstream error, else is skipped.
 * `onEvent` sees every readable event first (OpenAI-compatible servers send usage in a choice-less one).
 */
export function streamChoice(
  data: string,
  state: StreamState,
  onEvent?: (event: EventRecord) => void,
): { step: StreamStep } | { event: EventRecord; choice: EventRecord } {
  if (data.trim() === '[DONE]') return { step: { pieces: endPieces(state), done: true } };
  const event = safeJson(data);
  if (!isRecord(event)) return { step: { pieces: [], done: false } };
  onEvent?.(event);
  const choice = Array.isArray(event.choices) && isRecord(event.choices[0]) ? event.choices[0] : undefined;
  if (choice) return { event, choice };
  const message = upstreamErrorMessage(event);
  if (message)
    return {
      step: { pieces: [], done: false, failure: { kind: 'error', retryable: true, detail: message } },
    };
  return { step: { pieces: [], done: false } };
}

function parseEvent(data: string, state: StreamState): StreamStep {
  const head = streamChoice(data, state);
  if ('step' in head) return head.step;
  const { event, choice } = head;
  // Several miners may answer the same task, interleaved: follow the first stream that starts.
  const key = `${String(event.id ?? '')}/${String(event.task_id ?? '')}`;
  state.streamKey ??= key;
  if (key !== state.streamKey) return { pieces: [], done: false };
  state.started = true;
  const { pieces, stopped } = textPieces(state, typeof choice.text === 'string' ? choice.text : '');
  const finish = stopped ? 'stop' : finishOf(choice.finish_reason);
  if (!finish) return { pieces, done: false };
  state.finishReason = finish;
  state.usage = usageOf(event.usage);
  return { pieces: [...pieces, ...endPieces(state)], done: true };
}

/** The end of the body: a stream that never finished was cut short (retryably). */
export function endStream(state: StreamState): StreamStep {
  if (state.finishReason) return { pieces: endPieces(state), done: true };
  return { pieces: [], done: true, failure: { kind: 'error', retryable: true, detail: 'stream cut short' } };
}

export const cortensorAdapter: UpstreamAdapter = {
  kind: 'cortensor',
  buildRequest(request, target, stream) {
    const version = target.apiVersion ?? 'v1';
    return {
      method: 'POST',
      url: `${target.baseUrl}/api/${version}/completions/${target.sessionId ?? 0}`,
      headers: {
        ...authHeaders(target),
        'content-type': 'application/json',
        accept: stream ? 'text/event-stream' : 'application/json',
      },
      body: JSON.stringify(buildBody(request, target, stream)),
    };
  },
  parseResponse,
  initStreamState,
  parseEvent,
  endStream,
  probes: (target) => [
    { method: 'GET', url: `${target.baseUrl}/api/v1/ping`, headers: authHeaders(target) },
    { method: 'GET', url: `${target.baseUrl}/api/v1/status`, headers: authHeaders(target) },
  ],
};

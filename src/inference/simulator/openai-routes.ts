/**
 * The simulator's OpenAI-compatible face (`/v1/models`, `/v1/chat/completions`, `/v1/completions`), the
 * upstream of the openai-compatible adapter's tests and of benchmarks. Same generator, same knobs.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { countTokens } from '../tokens.js';
import { closeSignal, hang, paceWhole, writeStream } from './answer.js';
import { numberOr, parseObject, readBody, sendError, sendJson, stringList } from './http.js';
import type { SimState } from './state.js';
import { cachedText, hashString } from './text.js';
import { answerPieces } from './tools/answer.js';
import { toolAnswer } from './tools/index.js';
import { callDeltas, nativeToolAnswer, type NativeCall } from './tools/native.js';

function promptOf(body: Record<string, unknown>): string | undefined {
  if (typeof body.prompt === 'string') return body.prompt;
  if (!Array.isArray(body.messages)) return undefined;
  return body.messages
    .map((m: unknown) =>
      typeof m === 'object' && m !== null ? String((m as { content?: unknown }).content ?? '') : '',
    )
    .join('\n');
}

export function handleModels(res: ServerResponse, state: SimState) {
  const names = new Set([state.options.defaultModel, ...Object.values(state.options.sessionModels)]);
  sendJson(res, 200, {
    object: 'list',
    data: [...names].map((id) => ({ id, object: 'model', created: 0, owned_by: 'simulator' })),
  });
}

export async function handleOpenAiCompletion(
  req: IncomingMessage,
  res: ServerResponse,
  state: SimState,
  chat: boolean,
) {
  const body = parseObject(await readBody(req));
  const o = state.options;
  const prompt = body ? promptOf(body) : undefined;
  if (!body || prompt === undefined)
    return sendError(res, o, 400, chat ? 'messages is required' : 'prompt is required');
  state.stats.completions++;
  if (o.hang) return hang(res);
  if (state.shouldFail()) {
    state.stats.errors++;
    return sendError(res, o, o.errorStatus, 'simulated upstream failure');
  }
  const model = typeof body.model === 'string' ? body.model : o.defaultModel;
  const maxTokens = numberOr(body.max_tokens, 1024);
  const stop = stringList(body.stop);
  const native = chat ? nativeToolAnswer(body, o) : undefined;
  if (native && 'calls' in native) return sendCalls(res, state, body, model, native.calls);
  const special = native
    ? {
        pieces: answerPieces(native.text, false),
        tokens: countTokens(native.text),
        finishReason: 'stop' as const,
      }
    : toolAnswer(prompt, o, maxTokens, stop);
  const generated =
    special ??
    cachedText({ seed: o.seed ^ hashString(prompt), targetTokens: o.outputTokens, maxTokens, stop });
  const usage = {
    prompt_tokens: countTokens(prompt),
    completion_tokens: generated.tokens,
    total_tokens: countTokens(prompt) + generated.tokens,
  };
  const id = `${chat ? 'chatcmpl' : 'cmpl'}-${state.nextTaskId()}`;
  const created = Math.floor(Date.now() / 1000);
  const object = chat ? 'chat.completion' : 'text_completion';
  if (body.stream === true) {
    state.stats.streams++;
    const choice = (text: string, finish: string | null) =>
      chat
        ? { index: 0, delta: { content: text }, finish_reason: finish }
        : { index: 0, text, finish_reason: finish };
    const frame = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      JSON.stringify({
        id,
        object: chat ? 'chat.completion.chunk' : 'text_completion',
        created,
        model,
        choices,
        ...extra,
      });
    const events = [
      ...generated.pieces.map((p) => frame([choice(p, null)])),
      frame([choice('', generated.finishReason)]),
    ];
    const options = body.stream_options as { include_usage?: unknown } | undefined;
    if (o.usage && options?.include_usage === true) events.push(frame([], { usage }));
    return writeStream(res, state, { events, perTick: 1 });
  }
  await paceWhole(state, generated.tokens, closeSignal(res));
  const text = generated.pieces.join('');
  const choice = chat
    ? { index: 0, message: { role: 'assistant', content: text }, finish_reason: generated.finishReason }
    : { index: 0, text, logprobs: null, finish_reason: generated.finishReason };
  sendJson(res, 200, { id, object, created, model, choices: [choice], ...(o.usage ? { usage } : {}) });
}

/** A native tool-call answer: message.tool_calls, or streamed tool_calls deltas; finish_reason tool_calls. */
async function sendCalls(
  res: ServerResponse,
  state: SimState,
  body: Record<string, unknown>,
  model: string,
  calls: NativeCall[],
) {
  const id = `chatcmpl-${state.nextTaskId()}`;
  const created = Math.floor(Date.now() / 1000);
  const completion = calls.reduce((n, c) => n + countTokens(c.name) + countTokens(c.arguments), 0);
  const promptTokens = countTokens(JSON.stringify(body.messages ?? []));
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completion,
    total_tokens: promptTokens + completion,
  };
  if (body.stream === true) {
    state.stats.streams++;
    const frame = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices, ...extra });
    const events = [
      ...callDeltas(calls).map((delta) => frame([{ index: 0, delta, finish_reason: null }])),
      frame([{ index: 0, delta: {}, finish_reason: 'tool_calls' }]),
    ];
    if (state.options.usage) events.push(frame([], { usage }));
    return writeStream(res, state, { events, perTick: 1 });
  }
  await paceWhole(state, completion, closeSignal(res));
  const toolCalls = calls.map((c) => ({
    id: c.id,
    type: 'function',
    function: { name: c.name, arguments: c.arguments },
  }));
  const message = { role: 'assistant', content: null, tool_calls: toolCalls };
  sendJson(res, 200, {
    id,
    object: 'chat.completion',
    created,
    model,
    choices: [{ index: 0, message, finish_reason: 'tool_calls' }],
    ...(state.options.usage ? { usage } : {}),
  });
}

/**
 * Anthropic Messages wire format: the message object and its event stream. Content blocks open when their
 * first piece arrives (thinking, text, tool_use, in the order the model produces them) and each is closed
 * before the next opens, as Anthropic streams them. Portal cannot sign thinking: `signature` carries the
 * opaque, unverifiable THINKING_SIGNATURE, and signatures clients send back are ignored.
 */
import type { FinishReason, ToolCall } from '#src/inference/types.js';
import { errorBody, type PortalError } from '#src/platform/http/errors.js';
import { anthropicToolId } from './ids.js';
import {
  sse,
  sseTemplate,
  type Answer,
  type AnswerMeta,
  type StreamEncoder,
  type TokenUsage,
} from './types.js';

export const THINKING_SIGNATURE = 'portal-unsigned';

const stopReason = (f: FinishReason, called: boolean) =>
  f === 'length' ? 'max_tokens' : called || f === 'tool_calls' ? 'tool_use' : 'end_turn';

/** A call's input object; arguments that are not a JSON object (never sent by a validated answer) become {}. */
function inputOf(call: ToolCall): Record<string, unknown> {
  try {
    const input: unknown = JSON.parse(call.arguments || '{}');
    return input && typeof input === 'object' && !Array.isArray(input)
      ? (input as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** `thinking`: whether the request enabled thinking (reasoning is dropped otherwise). */
export function messageBody(meta: AnswerMeta, answer: Answer, usage: TokenUsage, thinking = false) {
  const content: Array<Record<string, unknown>> = [];
  if (thinking && answer.reasoning)
    content.push({ type: 'thinking', thinking: answer.reasoning, signature: THINKING_SIGNATURE });
  const calls = answer.toolCalls ?? [];
  if (answer.text || !calls.length) content.push({ type: 'text', text: answer.text });
  for (const call of calls)
    content.push({ type: 'tool_use', id: anthropicToolId(call.id), name: call.name, input: inputOf(call) });
  return {
    id: meta.id,
    type: 'message',
    role: 'assistant',
    model: meta.model,
    content,
    stop_reason: stopReason(answer.finishReason, calls.length > 0),
    stop_sequence: null,
    usage: { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens },
  };
}

type Block = 'text' | 'thinking' | 'tool_use';

export function messageStreamEncoder(meta: AnswerMeta, thinking = false): StreamEncoder {
  const event = (type: string, data: Record<string, unknown>) => sse({ type, ...data }, type);
  const deltaAt = (index: number, type: 'text_delta' | 'thinking_delta') =>
    sseTemplate(
      (text) => ({
        type: 'content_block_delta',
        index,
        delta: type === 'text_delta' ? { type, text } : { type, thinking: text },
      }),
      'content_block_delta',
    );
  const firstTextDelta = deltaAt(0, 'text_delta');
  let textDelta = firstTextDelta;
  let thinkingDelta = firstTextDelta;
  let open: Block | null = null;
  /** Index of the open block; the next block gets `index + 1`. */
  let index = -1;
  let called = false;
  /** Neutral piece index → content block index of that call. */
  let calls: Map<number, number> | undefined;

  const close = () => {
    if (open === null) return '';
    let out = '';
    if (open === 'thinking')
      out = event('content_block_delta', {
        index,
        delta: { type: 'signature_delta', signature: THINKING_SIGNATURE },
      });
    open = null;
    return out + event('content_block_stop', { index });
  };
  const openBlock = (type: Block, block: Record<string, unknown>) => {
    const out = close() + event('content_block_start', { index: ++index, content_block: block });
    open = type;
    return out;
  };
  const openText = () => {
    const out = openBlock('text', { type: 'text', text: '' });
    textDelta = index === 0 ? firstTextDelta : deltaAt(index, 'text_delta');
    return out;
  };

  return {
    start: (inputTokens) =>
      event('message_start', {
        message: {
          id: meta.id,
          type: 'message',
          role: 'assistant',
          model: meta.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: inputTokens, output_tokens: 0 },
        },
      }),
    text: (text) => (open === 'text' ? textDelta(text) : openText() + textDelta(text)),
    reasoning(text) {
      if (!thinking || !text) return '';
      let out = '';
      if (open !== 'thinking') {
        out = openBlock('thinking', { type: 'thinking', thinking: '', signature: '' });
        thinkingDelta = deltaAt(index, 'thinking_delta');
      }
      return out + thinkingDelta(text);
    },
    toolCall(callIndex, id, name) {
      called = true;
      const out = openBlock('tool_use', { type: 'tool_use', id: anthropicToolId(id), name, input: {} });
      (calls ??= new Map()).set(callIndex, index);
      return out;
    },
    toolCallArgs(callIndex, text) {
      const at = calls?.get(callIndex);
      if (at === undefined || !text) return '';
      return event('content_block_delta', {
        index: at,
        delta: { type: 'input_json_delta', partial_json: text },
      });
    },
    end: (finish, usage) =>
      (index === -1 ? openText() : '') +
      close() +
      event('message_delta', {
        delta: { stop_reason: stopReason(finish, called), stop_sequence: null },
        usage: { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens },
      }) +
      event('message_stop', {}),
    error: (err: PortalError) => sse(errorBody(err, 'anthropic'), 'error'),
    keepAlive: () => event('ping', {}),
  };
}

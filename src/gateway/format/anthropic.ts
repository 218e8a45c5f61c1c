/** Anthropic Messages wire format: the message object and its event stream. */
import type { FinishReason } from '../../inference/types.js';
import { errorBody, type PortalError } from '../../platform/http/errors.js';
import { sse, sseTemplate, type AnswerMeta, type StreamEncoder, type TokenUsage } from './types.js';

const stopReason = (f: FinishReason) => (f === 'length' ? 'max_tokens' : 'end_turn');

export function messageBody(meta: AnswerMeta, text: string, finish: FinishReason, usage: TokenUsage) {
  return {
    id: meta.id,
    type: 'message',
    role: 'assistant',
    model: meta.model,
    content: [{ type: 'text', text }],
    stop_reason: stopReason(finish),
    stop_sequence: null,
    usage: { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens },
  };
}

export function messageStreamEncoder(meta: AnswerMeta): StreamEncoder {
  const event = (type: string, data: Record<string, unknown>) => sse({ type, ...data }, type);
  const delta = sseTemplate(
    (text) => ({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }),
    'content_block_delta',
  );
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
      }) + event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    text: delta,
    end: (finish, usage) =>
      event('content_block_stop', { index: 0 }) +
      event('message_delta', {
        delta: { stop_reason: stopReason(finish), stop_sequence: null },
        usage: { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens },
      }) +
      event('message_stop', {}),
    error: (err: PortalError) => sse(errorBody(err, 'anthropic'), 'error'),
    keepAlive: () => event('ping', {}),
  };
}

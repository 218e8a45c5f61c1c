/** OpenAI wire format: chat.completion(s), text_completion(s), and their SSE chunk streams. */
import type { FinishReason } from '../../inference/types.js';
import { errorBody, type PortalError } from '../../platform/http/errors.js';
import { sse, sseTemplate, type AnswerMeta, type StreamEncoder, type TokenUsage } from './types.js';

const finishReason = (f: FinishReason) => (f === 'length' ? 'length' : 'stop');

const usageBody = (u: TokenUsage) => ({
  prompt_tokens: u.inputTokens,
  completion_tokens: u.outputTokens,
  total_tokens: u.inputTokens + u.outputTokens,
});

export function chatCompletionBody(meta: AnswerMeta, text: string, finish: FinishReason, usage: TokenUsage) {
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    system_fingerprint: null,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: text, refusal: null },
        logprobs: null,
        finish_reason: finishReason(finish),
      },
    ],
    usage: usageBody(usage),
  };
}

export function textCompletionBody(meta: AnswerMeta, text: string, finish: FinishReason, usage: TokenUsage) {
  return {
    id: meta.id,
    object: 'text_completion',
    created: meta.created,
    model: meta.model,
    system_fingerprint: null,
    choices: [{ index: 0, text, logprobs: null, finish_reason: finishReason(finish) }],
    usage: usageBody(usage),
  };
}

export function chatStreamEncoder(meta: AnswerMeta, includeUsage: boolean): StreamEncoder {
  const base = {
    id: meta.id,
    object: 'chat.completion.chunk',
    created: meta.created,
    model: meta.model,
    system_fingerprint: null,
  };
  const extra = includeUsage ? { usage: null } : {};
  const event = (delta: Record<string, unknown>, finish: string | null) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...extra,
  });
  const chunk = (delta: Record<string, unknown>, finish: string | null) => sse(event(delta, finish));
  const textChunk = sseTemplate((content) => event({ content }, null));
  return {
    start: () => chunk({ role: 'assistant', content: '', refusal: null }, null),
    text: textChunk,
    end(finish, usage) {
      let out = chunk({}, finishReason(finish));
      if (includeUsage) out += sse({ ...base, choices: [], usage: usageBody(usage) });
      return out + sse('[DONE]');
    },
    error: (err: PortalError) => sse(errorBody(err, 'openai')) + sse('[DONE]'),
    keepAlive: () => ': keep-alive\n\n',
  };
}

export function textStreamEncoder(meta: AnswerMeta, includeUsage: boolean): StreamEncoder {
  const base = {
    id: meta.id,
    object: 'text_completion',
    created: meta.created,
    model: meta.model,
    system_fingerprint: null,
  };
  const extra = includeUsage ? { usage: null } : {};
  const event = (text: string, finish: string | null) => ({
    ...base,
    choices: [{ index: 0, text, logprobs: null, finish_reason: finish }],
    ...extra,
  });
  const chunk = (text: string, finish: string | null) => sse(event(text, finish));
  const textChunk = sseTemplate((text) => event(text, null));
  return {
    start: () => '',
    text: textChunk,
    end(finish, usage) {
      let out = chunk('', finishReason(finish));
      if (includeUsage) out += sse({ ...base, choices: [], usage: usageBody(usage) });
      return out + sse('[DONE]');
    },
    error: (err: PortalError) => sse(errorBody(err, 'openai')) + sse('[DONE]'),
    keepAlive: () => ': keep-alive\n\n',
  };
}

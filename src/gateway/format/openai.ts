/** OpenAI wire format: chat.completion(s), text_completion(s), and their SSE chunk streams. */
import type { FinishReason, ToolCall } from '#src/inference/types.js';
import { errorBody, type PortalError } from '#src/platform/http/errors.js';
import { openaiCallId } from './ids.js';
import {
  sse,
  sseTemplate,
  type Answer,
  type AnswerMeta,
  type StreamEncoder,
  type TokenUsage,
} from './types.js';

const finishReason = (f: FinishReason) => (f === 'length' ? 'length' : 'stop');

/** Chat: an answer that made calls finishes with tool_calls (unless it was cut by the token limit). */
const chatFinish = (f: FinishReason, called: boolean) =>
  f === 'length' ? 'length' : called || f === 'tool_calls' ? 'tool_calls' : 'stop';

const usageBody = (u: TokenUsage) => ({
  prompt_tokens: u.inputTokens,
  completion_tokens: u.outputTokens,
  total_tokens: u.inputTokens + u.outputTokens,
});

const toolCallBody = (call: ToolCall) => ({
  id: openaiCallId(call.id),
  type: 'function',
  function: { name: call.name, arguments: call.arguments },
});

export function chatCompletionBody(meta: AnswerMeta, answer: Answer, usage: TokenUsage) {
  const calls = answer.toolCalls?.length ? answer.toolCalls : undefined;
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    system_fingerprint: null,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          // OpenAI sends null content when the answer is only calls.
          content: calls && !answer.text ? null : answer.text,
          refusal: null,
          ...(answer.reasoning ? { reasoning_content: answer.reasoning } : {}),
          ...(calls ? { tool_calls: calls.map(toolCallBody) } : {}),
        },
        logprobs: null,
        finish_reason: chatFinish(answer.finishReason, !!calls),
      },
    ],
    usage: usageBody(usage),
  };
}

export function textCompletionBody(meta: AnswerMeta, answer: Answer, usage: TokenUsage) {
  return {
    id: meta.id,
    object: 'text_completion',
    created: meta.created,
    model: meta.model,
    system_fingerprint: null,
    choices: [
      { index: 0, text: answer.text, logprobs: null, finish_reason: finishReason(answer.finishReason) },
    ],
    usage: usageBody(usage),
  };
}

/**
 * Chat chunks. Calls stream as OpenAI streams them: the first delta of a call carries index, id, type and the
 * whole name with arguments "", later deltas index and argument fragments; calls are numbered 0, 1, … in the
 * order they start, whatever indices the pieces carry.
 */
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
  const reasoningChunk = sseTemplate((reasoning_content) => event({ reasoning_content }, null));
  /** Neutral piece index → the call's index on the wire (created with the first call). */
  let calls: Map<number, number> | undefined;
  return {
    start: () => chunk({ role: 'assistant', content: '', refusal: null }, null),
    text: textChunk,
    reasoning: reasoningChunk,
    toolCall(index, id, name) {
      calls ??= new Map();
      const wire = calls.size;
      calls.set(index, wire);
      return chunk(
        {
          tool_calls: [
            { index: wire, id: openaiCallId(id), type: 'function', function: { name, arguments: '' } },
          ],
        },
        null,
      );
    },
    toolCallArgs(index, text) {
      const wire = calls?.get(index);
      if (wire === undefined || !text) return '';
      return chunk({ tool_calls: [{ index: wire, function: { arguments: text } }] }, null);
    },
    end(finish, usage) {
      let out = chunk({}, chatFinish(finish, calls !== undefined));
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
  const nothing = () => '';
  return {
    start: nothing,
    text: textChunk,
    // Legacy completions send the prompt as is: no reasoning split, no tools.
    reasoning: nothing,
    toolCall: nothing,
    toolCallArgs: nothing,
    end(finish, usage) {
      let out = chunk('', finishReason(finish));
      if (includeUsage) out += sse({ ...base, choices: [], usage: usageBody(usage) });
      return out + sse('[DONE]');
    },
    error: (err: PortalError) => sse(errorBody(err, 'openai')) + sse('[DONE]'),
    keepAlive: () => ': keep-alive\n\n',
  };
}

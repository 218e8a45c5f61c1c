/**
 * The `/v1` contracts: the request schemas are the gateway's own objects (re-exported, not copied: the hot path
 * validates with exactly what the OpenAPI document is generated from), and the response schemas describe what
 * `src/gateway/format/*` writes — OpenAI chat/text completions and their chunks, Anthropic messages and their
 * stream events, the model lists. Not exported from `./index.ts`: the dashboard does not bundle them.
 * Imports only zod, its own files and nothing else.
 */
import { z } from 'zod';
import { count, listOf } from './primitives.js';
import { chatCompletionSchema, completionSchema } from './openai-requests.js';
import { messagesSchema } from './anthropic-requests.js';

export { chatCompletionSchema as chatCompletionRequest, completionSchema as completionRequest };
export { messagesSchema as messagesRequest };

const unixTime = z.number().int().nonnegative();

const usage = z.object({ prompt_tokens: count, completion_tokens: count, total_tokens: count }).strict();

const answerHead = {
  id: z.string(),
  created: unixTime,
  model: z.string(),
  system_fingerprint: z.null(),
};

const toolCall = z
  .object({
    id: z.string(),
    type: z.literal('function'),
    /** `arguments` is a JSON object as a string, as OpenAI sends it. */
    function: z.object({ name: z.string(), arguments: z.string() }).strict(),
  })
  .strict();

const chatFinish = z.enum(['stop', 'length', 'tool_calls']);

/** POST /v1/chat/completions (stream false) */
export const chatCompletion = z
  .object({
    ...answerHead,
    object: z.literal('chat.completion'),
    choices: z.array(
      z
        .object({
          index: count,
          message: z
            .object({
              role: z.literal('assistant'),
              content: z.string().nullable(),
              refusal: z.null(),
              reasoning_content: z.string().optional(),
              tool_calls: z.array(toolCall).optional(),
            })
            .strict(),
          logprobs: z.null(),
          finish_reason: chatFinish,
        })
        .strict(),
    ),
    usage,
  })
  .strict();

/** One `data:` event of a streamed chat completion; the stream ends with `data: [DONE]`. */
export const chatCompletionChunk = z
  .object({
    ...answerHead,
    object: z.literal('chat.completion.chunk'),
    choices: z.array(
      z
        .object({
          index: count,
          delta: z
            .object({
              role: z.literal('assistant').optional(),
              content: z.string().optional(),
              refusal: z.null().optional(),
              reasoning_content: z.string().optional(),
              tool_calls: z
                .array(
                  z
                    .object({
                      index: count,
                      id: z.string().optional(),
                      type: z.literal('function').optional(),
                      function: z.object({ name: z.string().optional(), arguments: z.string() }).strict(),
                    })
                    .strict(),
                )
                .optional(),
            })
            .strict(),
          logprobs: z.null(),
          finish_reason: chatFinish.nullable(),
        })
        .strict(),
    ),
    /** With `stream_options.include_usage`: null on every chunk but the last, which has no choices. */
    usage: usage.nullable().optional(),
  })
  .strict();

const textChoice = (finish: z.ZodType) =>
  z.object({ index: count, text: z.string(), logprobs: z.null(), finish_reason: finish }).strict();
const textFinish = z.enum(['stop', 'length']);

/** POST /v1/completions (stream false) */
export const textCompletion = z
  .object({
    ...answerHead,
    object: z.literal('text_completion'),
    choices: z.array(textChoice(textFinish)),
    usage,
  })
  .strict();

/** One `data:` event of a streamed text completion; the stream ends with `data: [DONE]`. */
export const textCompletionChunk = z
  .object({
    ...answerHead,
    object: z.literal('text_completion'),
    choices: z.array(textChoice(textFinish.nullable())),
    usage: usage.nullable().optional(),
  })
  .strict();

const anthropicUsage = z.object({ input_tokens: count, output_tokens: count }).strict();
const textBlock = z.object({ type: z.literal('text'), text: z.string() }).strict();
const thinkingBlock = z
  .object({ type: z.literal('thinking'), thinking: z.string(), signature: z.string() })
  .strict();
const toolUseBlock = z
  .object({
    type: z.literal('tool_use'),
    id: z.string(),
    name: z.string(),
    input: z.record(z.string(), z.unknown()),
  })
  .strict();
const stopReason = z.enum(['end_turn', 'max_tokens', 'tool_use']);

const messageHead = {
  id: z.string(),
  type: z.literal('message'),
  role: z.literal('assistant'),
  model: z.string(),
};

/** POST /v1/messages (stream false) */
export const message = z
  .object({
    ...messageHead,
    content: z.array(z.discriminatedUnion('type', [textBlock, thinkingBlock, toolUseBlock])),
    stop_reason: stopReason,
    stop_sequence: z.null(),
    usage: anthropicUsage,
  })
  .strict();

/** The error body of `/v1/messages` (and of any /v1 call that sends `anthropic-version`), in Anthropic's shape. */
export const anthropicError = z
  .object({
    type: z.literal('error'),
    error: z
      .object({
        type: z.enum([
          'invalid_request_error',
          'authentication_error',
          'permission_error',
          'not_found_error',
          'request_too_large',
          'rate_limit_error',
          'overloaded_error',
          'api_error',
        ]),
        message: z.string().min(1),
      })
      .strict(),
  })
  .strict();

const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), ...shape }).strict();

/** One event of a streamed message (`event: <type>` then `data: <this>`), in Anthropic's order. */
export const messageStreamEvent = z.discriminatedUnion('type', [
  event('message_start', {
    message: z
      .object({
        ...messageHead,
        content: z.array(z.never()),
        stop_reason: z.null(),
        stop_sequence: z.null(),
        usage: anthropicUsage,
      })
      .strict(),
  }),
  event('content_block_start', {
    index: count,
    content_block: z.discriminatedUnion('type', [textBlock, thinkingBlock, toolUseBlock]),
  }),
  event('content_block_delta', {
    index: count,
    delta: z.discriminatedUnion('type', [
      z.object({ type: z.literal('text_delta'), text: z.string() }).strict(),
      z.object({ type: z.literal('thinking_delta'), thinking: z.string() }).strict(),
      z.object({ type: z.literal('signature_delta'), signature: z.string() }).strict(),
      z.object({ type: z.literal('input_json_delta'), partial_json: z.string() }).strict(),
    ]),
  }),
  event('content_block_stop', { index: count }),
  event('message_delta', {
    delta: z.object({ stop_reason: stopReason, stop_sequence: z.null() }).strict(),
    usage: anthropicUsage,
  }),
  event('message_stop', {}),
  event('ping', {}),
  anthropicError,
]);

/** A model as GET /v1/models lists it (OpenAI's format plus Portal's limits and capabilities). */
export const v1Model = z
  .object({
    id: z.string(),
    object: z.literal('model'),
    created: unixTime,
    owned_by: z.literal('portal'),
    name: z.string(),
    description: z.string(),
    context_window: count,
    max_output_tokens: count,
    capabilities: z.object({ tools: z.boolean(), reasoning: z.boolean(), json: z.boolean() }).strict(),
  })
  .strict();

export const v1ModelList = listOf(v1Model);

/** The same model in Anthropic's format (when the request sends `anthropic-version`). */
export const anthropicModel = z
  .object({
    type: z.literal('model'),
    id: z.string(),
    display_name: z.string(),
    created_at: z.iso.datetime(),
  })
  .strict();

export const anthropicModelList = z
  .object({
    data: z.array(anthropicModel),
    has_more: z.boolean(),
    first_id: z.string().nullable(),
    last_id: z.string().nullable(),
  })
  .strict();

export type ChatCompletion = z.infer<typeof chatCompletion>;
export type ChatCompletionChunk = z.infer<typeof chatCompletionChunk>;
export type TextCompletion = z.infer<typeof textCompletion>;
export type Message = z.infer<typeof message>;
export type MessageStreamEvent = z.infer<typeof messageStreamEvent>;

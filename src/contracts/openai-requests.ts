/**
 * OpenAI request schemas: chat/completions and legacy completions. Strict like OpenAI's own API: an unknown
 * argument is a 400 naming it. Known OpenAI arguments that Portal accepts but does not act on are listed as
 * such; ones whose meaning Portal cannot honour (n > 1, logprobs, non-function tools) are refused with a clear
 * message. Tools, tool choice, response formats and reasoning effort are checked here for shape and bounds;
 * cross-field rules (a named tool exists, a tool result answers an earlier call) in the gateway's
 * `requests/openai.ts`. The gateway validates /v1 bodies with these very objects; the OpenAPI document is
 * generated from them.
 */
import { z } from 'zod';
import { boundedJsonSchema, parametersSchema, TOOL_LIMITS, toolName } from './tool-schema.js';

const text = z.string().max(4_000_000);
const stop = z
  .union([z.string().min(1).max(256), z.array(z.string().min(1).max(256)).min(1).max(4)])
  .nullish();

const contentPart = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text }).loose(),
  z.object({ type: z.literal('image_url') }).loose(),
  z.object({ type: z.literal('input_audio') }).loose(),
  z.object({ type: z.literal('file') }).loose(),
]);

const toolCallId = z.string().min(1).max(256);

/** A call the assistant made earlier in the conversation (sent back in the history). */
const assistantToolCall = z
  .object({
    id: toolCallId,
    type: z.literal('function', 'only function tool calls are supported'),
    function: z
      .object({
        name: toolName,
        arguments: z.string().max(TOOL_LIMITS.maxArguments),
        // The openai SDK's helpers (runTools, parse) echo the message they received, parsed fields included.
        parsed_arguments: z.unknown().optional(),
      })
      .strict(),
  })
  .strict();

export const chatMessageSchema = z
  .object({
    role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
    content: z.union([text, z.array(contentPart).max(1000)]).nullish(),
    name: z.string().max(128).optional(),
    tool_call_id: toolCallId.optional(),
    tool_calls: z.array(assistantToolCall).max(TOOL_LIMITS.maxTools).nullish(),
    refusal: z.string().nullish(),
    reasoning_content: text.nullish(),
    audio: z.null().optional(),
    // Echoed back by the openai SDK's helpers with an assistant message it received; ignored.
    parsed: z.unknown().optional(),
    annotations: z.array(z.unknown()).max(1000).optional(),
    function_call: z.null().optional(),
  })
  .strict();

/** What a function tool and a json_schema response format both carry besides their schema. */
const namedSchemaFields = {
  name: toolName,
  description: z.string().max(TOOL_LIMITS.maxDescription).optional(),
  strict: z.boolean().nullish(),
};

export const functionToolSchema = z
  .object({
    type: z.literal('function', 'only tools of type "function" are supported'),
    function: z
      .object({
        ...namedSchemaFields,
        parameters: parametersSchema.optional(),
      })
      .strict(),
  })
  .strict();

const toolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z
    .object({
      type: z.literal('function'),
      function: z.object({ name: toolName }).strict(),
    })
    .strict(),
]);

const responseFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }).strict(),
  z.object({ type: z.literal('json_object') }).strict(),
  z
    .object({
      type: z.literal('json_schema'),
      json_schema: z
        .object({
          ...namedSchemaFields,
          schema: boundedJsonSchema.optional(),
        })
        .strict(),
    })
    .strict(),
]);

/** `minimal`/`none` map to low and `xhigh` to high: harmony knows three levels, other families none. */
const reasoningEffortSchema = z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']);

/** Accepted and ignored (they do not change what Portal can do for the request). */
const ignored = {
  user: z.string().max(512).optional(),
  seed: z.number().int().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  store: z.boolean().nullish(),
  service_tier: z.string().nullish(),
  logit_bias: z.record(z.string(), z.number()).nullish(),
  prompt_cache_key: z.string().nullish(),
  safety_identifier: z.string().nullish(),
};

const sampling = {
  max_tokens: z.number().int().min(1).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  top_k: z.number().int().min(1).max(1000).nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  stop,
  n: z.literal(1, 'only n = 1 is supported').nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).strict().nullish(),
  logprobs: z.literal(false, 'logprobs are not supported').nullish(),
};

export const chatCompletionSchema = z
  .object({
    model: z.string().min(1).max(256),
    messages: z.array(chatMessageSchema).min(1, 'must contain at least one message').max(10_000),
    max_completion_tokens: z.number().int().min(1).nullish(),
    tools: z
      .array(functionToolSchema)
      .max(TOOL_LIMITS.maxTools, `at most ${TOOL_LIMITS.maxTools} tools per request`)
      .nullish(),
    tool_choice: toolChoiceSchema.nullish(),
    parallel_tool_calls: z.boolean().nullish(),
    response_format: responseFormatSchema.nullish(),
    reasoning_effort: reasoningEffortSchema.nullish(),
    top_logprobs: z.literal(0).nullish(),
    modalities: z.array(z.literal('text')).nullish(),
    ...sampling,
    ...ignored,
  })
  .strict();

export type ChatCompletionBody = z.infer<typeof chatCompletionSchema>;

export const completionSchema = z
  .object({
    model: z.string().min(1).max(256),
    prompt: z.union([text, z.array(text).length(1, 'only one prompt per request is supported')]),
    echo: z.literal(false, 'echo is not supported').nullish(),
    suffix: z.null().optional(),
    best_of: z.literal(1).nullish(),
    ...sampling,
    logprobs: z.null().optional(),
    ...ignored,
  })
  .strict();

export type CompletionBody = z.infer<typeof completionSchema>;

type Sampling = Pick<
  ChatCompletionBody,
  'temperature' | 'top_p' | 'top_k' | 'stop' | 'presence_penalty' | 'frequency_penalty'
>;

/** The sampling parameters both OpenAI endpoints share, in the gateway's neutral form. */
export function samplingOf(body: Sampling) {
  return {
    temperature: body.temperature,
    topP: body.top_p,
    topK: body.top_k,
    stop: typeof body.stop === 'string' ? [body.stop] : (body.stop ?? undefined),
    presencePenalty: body.presence_penalty,
    frequencyPenalty: body.frequency_penalty,
  };
}

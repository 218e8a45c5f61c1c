/**
 * OpenAI request schemas: chat/completions and legacy completions. Strict like OpenAI's own API: an unknown
 * argument is a 400 naming it. Known OpenAI arguments that Portal accepts but does not act on are listed as
 * such; ones whose meaning Portal cannot honour (n > 1, tools, logprobs) are refused with a clear message.
 */
import { z } from 'zod';

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

export const chatMessageSchema = z
  .object({
    role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
    content: z.union([text, z.array(contentPart).max(1000)]).nullish(),
    name: z.string().max(128).optional(),
    tool_call_id: z.string().optional(),
    tool_calls: z.array(z.unknown()).optional(),
    refusal: z.string().nullish(),
  })
  .strict();

/** Accepted and ignored (they do not change what Portal can do for the request). */
const ignored = {
  user: z.string().max(512).optional(),
  seed: z.number().int().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  store: z.boolean().nullish(),
  service_tier: z.string().nullish(),
  logit_bias: z.record(z.string(), z.number()).nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  reasoning_effort: z.string().nullish(),
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
    tools: z.array(z.unknown()).max(0, 'tools are not supported by Portal models yet').nullish(),
    tool_choice: z.union([z.literal('none'), z.literal('auto')]).nullish(),
    response_format: z
      .object({ type: z.literal('text', 'only "text" is supported') })
      .loose()
      .nullish(),
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

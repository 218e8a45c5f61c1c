/**
 * Anthropic Messages request schema: text, tool_use / tool_result and thinking blocks; a system prompt as a
 * string or text blocks; custom tools with an input_schema; tool choice; extended thinking. Unsupported block
 * and tool types are recognised here and refused with a message naming them in `requests/anthropic.ts`.
 */
import { z } from 'zod';
import { parametersSchema, TOOL_LIMITS, toolName } from './tool-schema.js';

const text = z.string().max(4_000_000);
const textBlock = z
  .object({
    type: z.literal('text'),
    text,
    cache_control: z.unknown().optional(),
    citations: z.unknown().optional(),
  })
  .strict();
const toolUseId = z.string().min(1).max(256);
const toolUseBlock = z
  .object({
    type: z.literal('tool_use'),
    id: toolUseId,
    name: toolName,
    input: z.record(z.string(), z.unknown()),
    cache_control: z.unknown().optional(),
    caller: z.unknown().optional(),
  })
  .strict();
const toolResultBlock = z
  .object({
    type: z.literal('tool_result'),
    tool_use_id: toolUseId,
    content: z
      .union([
        text,
        z
          .array(
            z.discriminatedUnion('type', [
              textBlock,
              z.object({ type: z.literal('image') }).loose(),
              z.object({ type: z.literal('document') }).loose(),
              z.object({ type: z.literal('search_result') }).loose(),
            ]),
          )
          .max(1000),
      ])
      .optional(),
    is_error: z.boolean().optional(),
    cache_control: z.unknown().optional(),
  })
  .strict();
const thinkingBlock = z
  .object({ type: z.literal('thinking'), thinking: text, signature: z.string().max(65_536).optional() })
  .strict();
const contentBlock = z.discriminatedUnion('type', [
  textBlock,
  toolUseBlock,
  toolResultBlock,
  thinkingBlock,
  z.object({ type: z.literal('redacted_thinking') }).loose(),
  z.object({ type: z.literal('image') }).loose(),
  z.object({ type: z.literal('document') }).loose(),
  z.object({ type: z.literal('search_result') }).loose(),
  z.object({ type: z.literal('server_tool_use') }).loose(),
  z.object({ type: z.literal('web_search_tool_result') }).loose(),
  z.object({ type: z.literal('container_upload') }).loose(),
]);

/** A custom tool (checked per tool once its type is known: server tools are refused by name). */
export const customToolSchema = z
  .object({
    type: z.literal('custom').optional(),
    name: toolName,
    description: z.string().max(TOOL_LIMITS.maxDescription).optional(),
    input_schema: parametersSchema,
    cache_control: z.unknown().optional(),
    strict: z.boolean().optional(),
  })
  .strict();
const toolSchema = z.object({ type: z.string().max(100).optional() }).loose();

const parallel = { disable_parallel_tool_use: z.boolean().optional() };
const toolChoiceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auto'), ...parallel }).strict(),
  z.object({ type: z.literal('any'), ...parallel }).strict(),
  z.object({ type: z.literal('tool'), name: toolName, ...parallel }).strict(),
  z.object({ type: z.literal('none') }).strict(),
]);

const thinkingSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('enabled'),
      budget_tokens: z.number().int().min(1024, 'must be at least 1024'),
      display: z.enum(['summarized', 'omitted']).nullish(),
    })
    .strict(),
  z.object({ type: z.literal('disabled') }).strict(),
  z.object({ type: z.literal('adaptive'), display: z.enum(['summarized', 'omitted']).nullish() }).strict(),
]);

export const messagesSchema = z
  .object({
    model: z.string().min(1).max(256),
    max_tokens: z.number().int().min(1),
    messages: z
      .array(
        z
          .object({
            role: z.enum(['user', 'assistant']),
            content: z.union([text, z.array(contentBlock).min(1).max(1000)]),
          })
          .strict(),
      )
      .min(1, 'must contain at least one message')
      .max(10_000),
    system: z.union([text, z.array(textBlock).max(100)]).optional(),
    stop_sequences: z.array(z.string().min(1).max(256)).max(4).optional(),
    temperature: z.number().min(0).max(1).optional(),
    top_p: z.number().min(0).max(1).optional(),
    top_k: z.number().int().min(1).optional(),
    stream: z.boolean().optional(),
    metadata: z
      .object({ user_id: z.string().max(256).nullish() })
      .strict()
      .optional(),
    tools: z
      .array(toolSchema)
      .max(TOOL_LIMITS.maxTools, `at most ${TOOL_LIMITS.maxTools} tools per request`)
      .optional(),
    tool_choice: toolChoiceSchema.optional(),
    thinking: thinkingSchema.optional(),
    service_tier: z.string().optional(),
  })
  .strict();

export type MessagesBody = z.infer<typeof messagesSchema>;

/** Anthropic Messages request schema (text content; system prompt as a string or text blocks). */
import { z } from 'zod';

const text = z.string().max(4_000_000);
const textBlock = z
  .object({
    type: z.literal('text'),
    text,
    cache_control: z.unknown().optional(),
    citations: z.unknown().optional(),
  })
  .strict();
const contentBlock = z.discriminatedUnion('type', [
  textBlock,
  z.object({ type: z.literal('image') }).loose(),
  z.object({ type: z.literal('document') }).loose(),
  z.object({ type: z.literal('tool_use') }).loose(),
  z.object({ type: z.literal('tool_result') }).loose(),
  z.object({ type: z.literal('thinking') }).loose(),
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
    tools: z.array(z.unknown()).max(0, 'tools are not supported by Portal models yet').optional(),
    tool_choice: z.unknown().optional(),
    thinking: z.unknown().optional(),
    service_tier: z.string().optional(),
  })
  .strict();

export type MessagesBody = z.infer<typeof messagesSchema>;

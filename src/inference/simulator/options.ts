/**
 * The router simulator's behaviour knobs: one zod schema shared by the CLI flags, the programmatic API and
 * the control endpoint (`POST /_sim/config` takes any subset and applies it to the running simulator).
 */
import { z } from 'zod';

export const errorShapes = ['nested', 'string', 'message'] as const;

export const simOptionsSchema = z.object({
  /** Bearer key every call must present; empty = no auth. */
  apiKey: z.string().default(''),
  /** Seed of the generated text (combined with the prompt, so different prompts read differently). */
  seed: z.number().int().default(1),
  /** Model name served by sessions not listed in sessionModels. */
  defaultModel: z.string().default('gpt-oss:20b-gpu'),
  /** Session id → model name, as listed by /api/v1/sessions. */
  sessionModels: z.record(z.string(), z.string()).default({}),
  /** Milliseconds before the first token (and before a non-streamed answer starts). */
  ttftMs: z.number().nonnegative().default(0),
  /** Tokens per second after the first; 0 = as fast as possible. */
  tokensPerSecond: z.number().nonnegative().default(0),
  /** Answer length in tokens when max_tokens allows more. */
  outputTokens: z.number().int().positive().default(48),
  /**
   * Miners answering each task: non-streamed answers carry one choice per miner (the first one cut short,
   * without finish_reason), streams interleave one stream per miner (distinct ids).
   */
  miners: z.number().int().positive().max(8).default(1),
  /** Whether answers carry `usage`. */
  usage: z.boolean().default(true),
  /** Non-streamed answers first say "pending" and the task needs this many polls before its result. */
  pendingPolls: z.number().int().nonnegative().default(0),
  /** Whether the pending answer names the task (else the client retries the completion). */
  pendingTaskId: z.boolean().default(true),
  /** Fraction of completions answered with an error. */
  errorRate: z.number().min(0).max(1).default(0),
  errorStatus: z.number().int().min(400).max(599).default(500),
  errorShape: z.enum(errorShapes).default('nested'),
  /** retry-after (seconds) sent with errors; 0 = none. */
  retryAfterS: z.number().nonnegative().default(0),
  /** Completions never answer (the connection stays open until the client gives up). */
  hang: z.boolean().default(false),
  /** Streams are cut (connection destroyed) after this many tokens; 0 = never. */
  disconnectAfterTokens: z.number().int().nonnegative().default(0),
  /** Every route answers 503 (ping and status included), as a router whose backend died. */
  down: z.boolean().default(false),
  /** Tool answers: calls per answer when the prompt lets the model choose (parallel calls; harmony stops at one). */
  toolCallsPerAnswer: z.number().int().min(1).max(8).default(1),
  /** Tool answers: the call's arguments are broken JSON (single quotes, no closing brace). */
  malformedToolCalls: z.boolean().default(false),
  /** Streams cut every marker (`<|call|>`, `<tool_call>`, …) in two across pieces. */
  splitMarkers: z.boolean().default(false),
  /**
   * Reasoning before tool and JSON answers: auto = when the prompt leaves harmony's channel open (gpt-oss
   * always reasons then); always = in every family that has a reasoning syntax; never.
   */
  reasoning: z.enum(['auto', 'always', 'never']).default('auto'),
});

export type SimOptions = z.infer<typeof simOptionsSchema>;
export type SimOptionsInput = z.input<typeof simOptionsSchema>;
const patchSchema = simOptionsSchema.partial().strict();

/**
 * Validates a partial update; only the keys given come back (zod would fill in every default otherwise).
 * @example parsePatch({ ttftMs: 200 }) // { success: true, data: { ttftMs: 200 } }
 */
export function parsePatch(
  input: unknown,
): { success: true; data: Partial<SimOptions> } | { success: false; message: string } {
  const parsed = patchSchema.safeParse(input);
  if (!parsed.success) return { success: false, message: parsed.error.message };
  const given = typeof input === 'object' && input !== null ? Object.keys(input) : [];
  const data = Object.fromEntries(Object.entries(parsed.data).filter(([k]) => given.includes(k)));
  return { success: true, data: data as Partial<SimOptions> };
}

/**
 * What every template's tool rendering shares: the options a render takes, which tools show and whether a
 * call is forced, the response-format instruction, and call names resolved from `toolCallId`.
 */
import type {
  ChatMessage,
  JsonSchema,
  ReasoningEffort,
  ResponseFormat,
  ToolChoice,
  ToolDefinition,
} from '../types.js';

export interface RenderOptions {
  tools?: readonly ToolDefinition[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  reasoningEffort?: ReasoningEffort;
  /** Reasoning asked for (Anthropic `thinking`): families with a thinking switch turn it on. */
  includeReasoning?: boolean;
  responseFormat?: ResponseFormat;
}

export interface RenderedPrompt {
  /** The whole prompt, prefill included. */
  prompt: string;
  /** Sequences that end the assistant's turn; sent upstream and cut from the answer if they slip through. */
  stop: string[];
  /**
   * The start of the assistant's answer already written at the end of the prompt (a channel, a forced
   * call's opener); the output parser reads it first. Empty when the model starts from scratch.
   */
  prefill: string;
}

/** The tools the prompt shows: none for `tool_choice: none`. */
export function shownTools(o: RenderOptions): readonly ToolDefinition[] {
  return o.toolChoice?.type === 'none' ? [] : (o.tools ?? []);
}

/** A forced call: the function's name, '' for `required` (any function), undefined when not forced. */
export function forcedCall(o: RenderOptions): string | undefined {
  if (!shownTools(o).length) return undefined;
  if (o.toolChoice?.type === 'function') return o.toolChoice.name;
  return o.toolChoice?.type === 'required' ? '' : undefined;
}

/** Whether the plain pre-tools rendering still applies (no tools, history of calls, format or effort). */
export function isPlainChat(messages: readonly ChatMessage[], o: RenderOptions): boolean {
  if (o.tools?.length || o.reasoningEffort || o.includeReasoning) return false;
  if (o.responseFormat && o.responseFormat.type !== 'text') return false;
  return !messages.some((m) => m.toolCalls?.length || m.toolCallId);
}

export function isSystem(m: ChatMessage): boolean {
  return m.role === 'system' || m.role === 'developer';
}

export function systemText(messages: readonly ChatMessage[]): string {
  return messages
    .filter(isSystem)
    .map((m) => m.content)
    .join('\n\n');
}

/** The instruction for JSON answers, for families without a response-format section. */
export function formatInstruction(format: ResponseFormat | undefined): string {
  if (!format || format.type === 'text') return '';
  const base = 'Respond with one JSON object only, with no other text and no code fence.';
  if (format.type === 'json_object') return base;
  return `${base} The object must conform to this JSON Schema:\n${JSON.stringify(format.schema)}`;
}

/** Call id → function name, from the assistant turns' calls (tool results carry only the id). */
export function callNames(messages: readonly ChatMessage[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const m of messages) for (const c of m.toolCalls ?? []) names.set(c.id, c.name);
  return names;
}

export function toolResultName(m: ChatMessage, names: ReadonlyMap<string, string>): string {
  return (m.toolCallId ? names.get(m.toolCallId) : undefined) ?? m.name ?? 'tool';
}

/** Index of the last user message: reasoning is re-rendered only after it (the ongoing tool loop). */
export function lastUserIndex(messages: readonly ChatMessage[]): number {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]?.role === 'user') return i;
  return -1;
}

/** Arguments as a value (they travel as JSON text); text that is not JSON stays text. */
export function argsValue(args: string): unknown {
  try {
    return JSON.parse(args) as unknown;
  } catch {
    return args;
  }
}

/** JSON with `", "` and `": "` separators, as Python's json.dumps writes it (Qwen's template). */
export function spacedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(spacedJson).join(', ')}]`;
  if (typeof value === 'object' && value !== null)
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}: ${spacedJson(v)}`)
      .join(', ')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** A tool as OpenAI lists it: `{"type": "function", "function": {name, description, parameters}}`. */
export function openAiTool(t: ToolDefinition): { type: 'function'; function: Record<string, unknown> } {
  const fn: Record<string, unknown> = { name: t.name };
  if (t.description) fn.description = t.description;
  fn.parameters = t.parameters ?? ({ type: 'object', properties: {} } satisfies JsonSchema);
  return { type: 'function', function: fn };
}

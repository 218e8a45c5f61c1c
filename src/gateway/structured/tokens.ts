/**
 * Prompt tokens that the plain message count misses: tool definitions and a response schema (rendered into
 * the prompt by the template), and earlier calls and reasoning kept in the history. An estimate from the JSON
 * the template renders (the exact rendering is the adapter's), counted with the same tokenizer as the rest.
 * The text is returned rather than counted here so that admission can bound it like the messages: its length
 * joins the cheap character bound, and a long one is counted in slices (docs/decisions/009).
 */
import { countTokens } from '#src/inference/tokens.js';
import type { ChatMessage } from '#src/inference/types.js';
import type { Tooling } from '../gateway.js';

/** Framing tokens per earlier call (its markers around name and arguments). */
const PER_CALL = 3;

export interface ToolingText {
  text: string;
  /** Tokens for markers that the text does not hold. */
  framing: number;
}

/** @example toolingText({ tools: [{ name: 'get_weather', parameters: {…} }] }, messages).text.length */
export function toolingText(
  tooling: Tooling | undefined,
  messages: readonly ChatMessage[] | undefined,
): ToolingText {
  let text = '';
  let framing = 0;
  if (tooling?.tools?.length) text += JSON.stringify(tooling.tools);
  if (tooling?.responseFormat?.type === 'json_schema') text += JSON.stringify(tooling.responseFormat.schema);
  if (messages)
    for (const m of messages) {
      if (m.reasoning) text += m.reasoning;
      if (m.toolCalls)
        for (const call of m.toolCalls) {
          text += call.name + call.arguments;
          framing += PER_CALL;
        }
    }
  return { text, framing };
}

/** @example toolingTokens({ tools: [{ name: 'get_weather', parameters: {…} }] }, messages) // ~40 */
export function toolingTokens(tooling: Tooling | undefined, messages: readonly ChatMessage[] | undefined) {
  const { text, framing } = toolingText(tooling, messages);
  return (text ? countTokens(text) : 0) + framing;
}

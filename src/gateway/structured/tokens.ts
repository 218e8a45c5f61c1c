/**
 * Prompt tokens that the plain message count misses: tool definitions and a response schema (rendered into
 * the prompt by the template), and earlier calls and reasoning kept in the history. An estimate from the JSON
 * the template renders (the exact rendering is the adapter's), counted with the same tokenizer as the rest.
 */
import { countTokens } from '../../inference/tokens.js';
import type { ChatMessage } from '../../inference/types.js';
import type { Tooling } from '../gateway.js';

/** @example toolingTokens({ tools: [{ name: 'get_weather', parameters: {…} }] }, messages) // ~40 */
export function toolingTokens(tooling: Tooling | undefined, messages: readonly ChatMessage[] | undefined) {
  let total = 0;
  if (tooling?.tools?.length) total += countTokens(JSON.stringify(tooling.tools));
  if (tooling?.responseFormat?.type === 'json_schema')
    total += countTokens(JSON.stringify(tooling.responseFormat.schema));
  if (messages)
    for (const m of messages) {
      if (m.reasoning) total += countTokens(m.reasoning);
      if (m.toolCalls) for (const call of m.toolCalls) total += countTokens(call.name + call.arguments) + 3;
    }
  return total;
}

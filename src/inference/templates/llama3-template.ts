/**
 * Llama 3.1 / 3.3 with JSON custom tools (§4, after vLLM's tool_chat_template_llama3.1_json): the tool list
 * and the answer format go into the first user message, past calls are `{"name": …, "parameters": …}`,
 * results are `ipython` turns (`{"output": …}` unless the result is JSON already).
 */
import type { ChatMessage } from '../types.js';
import { jsonCallPrefill } from './gemma-template.js';
import {
  argsValue,
  formatInstruction,
  isPlainChat,
  openAiTool,
  shownTools,
  systemText,
  type RenderedPrompt,
  type RenderOptions,
} from './render-common.js';

const INTRO =
  'Given the following functions, please respond with a JSON for a function call with its proper ' +
  'arguments that best answers the given prompt.\n\nRespond in the format {"name": function name, ' +
  '"parameters": dictionary of argument name and its value}. Do not use variables.\n\n';

const turn = (role: string, content: string) =>
  `<|start_header_id|>${role}<|end_header_id|>\n\n${content}<|eot_id|>`;

function content(m: ChatMessage): string {
  if (m.role === 'tool') {
    const value = argsValue(m.content);
    return typeof value === 'object' && value !== null ? m.content : JSON.stringify({ output: m.content });
  }
  const calls = (m.toolCalls ?? []).map(
    (c) => `{"name": ${JSON.stringify(c.name)}, "parameters": ${JSON.stringify(argsValue(c.arguments))}}`,
  );
  return [m.content, ...calls].filter(Boolean).join('\n');
}

export function renderLlama3(messages: readonly ChatMessage[], o: RenderOptions): RenderedPrompt {
  const header = '<|begin_of_text|>';
  const assistant = '<|start_header_id|>assistant<|end_header_id|>\n\n';
  if (isPlainChat(messages, o)) {
    const turns = messages.map((m) => {
      const role = m.role === 'developer' ? 'system' : m.role === 'tool' ? 'ipython' : m.role;
      return turn(role, m.content);
    });
    return {
      prompt: `${header}${turns.join('')}${assistant}`,
      stop: ['<|eot_id|>', '<|end_of_text|>'],
      prefill: '',
    };
  }
  const system = [systemText(messages), formatInstruction(o.responseFormat)].filter(Boolean).join('\n\n');
  const tools = shownTools(o)
    .map((t) => `${JSON.stringify(openAiTool(t), null, 4)}\n\n`)
    .join('');
  let toolsPending = tools ? `${INTRO}${tools}` : '';
  let out = system ? turn('system', system) : '';
  for (const m of messages) {
    if (m.role === 'system' || m.role === 'developer') continue;
    const role = m.role === 'tool' ? 'ipython' : m.role;
    const lead = m.role === 'user' ? toolsPending : '';
    if (m.role === 'user') toolsPending = '';
    out += turn(role, lead + content(m));
  }
  if (toolsPending) out += turn('user', toolsPending.trimEnd());
  const prefill = jsonCallPrefill(o);
  return {
    prompt: `${header}${out}${assistant}${prefill}`,
    stop: ['<|eot_id|>', '<|end_of_text|>', '<|eom_id|>'],
    prefill,
  };
}

/**
 * Qwen (ChatML with Hermes tool calls, §2). Without tools, calls in history or a format, turns render as
 * before. Otherwise the system text, the `# Tools` block with one `<tools>` JSON line per function (Python's
 * separators) and any JSON instruction form the first system turn; past calls are `<tool_call>` blocks;
 * consecutive results are merged into one user turn of `<tool_response>` blocks; reasoning of the ongoing
 * tool loop is re-rendered in `<think>`. A forced call is prefilled after an empty think block (§2.4).
 */
import type { ChatMessage } from '../types.js';
import {
  argsValue,
  forcedCall,
  formatInstruction,
  isPlainChat,
  isSystem,
  lastUserIndex,
  openAiTool,
  shownTools,
  spacedJson,
  systemText,
  type RenderedPrompt,
  type RenderOptions,
} from './render-common.js';

const STOP = ['<|im_end|>', '<|endoftext|>'];

const TOOLS_INTRO =
  '# Tools\n\nYou may call one or more functions to assist with the user query.\n\n' +
  'You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n';
const TOOLS_OUTRO =
  '\n</tools>\n\nFor each function call, return a json object with function name and arguments within ' +
  '<tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>';

function plainTurns(messages: readonly ChatMessage[]): string {
  return messages
    .map((m) => {
      if (m.role === 'tool')
        return `<|im_start|>user\n<tool_response>\n${m.content}\n</tool_response><|im_end|>\n`;
      const role = m.role === 'developer' ? 'system' : m.role;
      return `<|im_start|>${role}\n${m.content}<|im_end|>\n`;
    })
    .join('');
}

function systemTurn(messages: readonly ChatMessage[], o: RenderOptions): string {
  const parts = [systemText(messages)];
  const tools = shownTools(o);
  if (tools.length)
    parts.push(TOOLS_INTRO + tools.map((t) => spacedJson(openAiTool(t))).join('\n') + TOOLS_OUTRO);
  parts.push(formatInstruction(o.responseFormat));
  const text = parts.filter(Boolean).join('\n\n');
  return text ? `<|im_start|>system\n${text}<|im_end|>\n` : '';
}

function assistantTurn(m: ChatMessage, ongoing: boolean): string {
  let out = '<|im_start|>assistant\n';
  if (m.reasoning && ongoing) out += `<think>\n${m.reasoning}\n</think>\n\n`;
  out += m.content;
  for (const [i, c] of (m.toolCalls ?? []).entries()) {
    if (i > 0 || m.content) out += '\n';
    out += `<tool_call>\n{"name": ${JSON.stringify(c.name)}, "arguments": ${spacedJson(argsValue(c.arguments))}}\n</tool_call>`;
  }
  return `${out}<|im_end|>\n`;
}

function conversation(messages: readonly ChatMessage[]): string {
  const lastUser = lastUserIndex(messages);
  let out = '';
  for (const [i, m] of messages.entries()) {
    if (isSystem(m)) continue;
    if (m.role === 'assistant') out += assistantTurn(m, i > lastUser);
    else if (m.role === 'tool') {
      const first = messages[i - 1]?.role !== 'tool';
      const last = messages[i + 1]?.role !== 'tool';
      out += `${first ? '<|im_start|>user' : ''}\n<tool_response>\n${m.content}\n</tool_response>`;
      if (last) out += '<|im_end|>\n';
    } else out += `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`;
  }
  return out;
}

function prefillFor(o: RenderOptions): string {
  const forced = forcedCall(o);
  if (forced === undefined) return '';
  const opener = forced ? `{"name": ${JSON.stringify(forced)}, "arguments": ` : '';
  return `<think>\n\n</think>\n\n<tool_call>\n${opener}`;
}

export function renderChatml(messages: readonly ChatMessage[], o: RenderOptions): RenderedPrompt {
  if (isPlainChat(messages, o))
    return { prompt: `${plainTurns(messages)}<|im_start|>assistant\n`, stop: [...STOP], prefill: '' };
  const prefill = prefillFor(o);
  const prompt = `${systemTurn(messages, o)}${conversation(messages)}<|im_start|>assistant\n${prefill}`;
  return { prompt, stop: [...STOP], prefill };
}

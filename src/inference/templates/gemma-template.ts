/**
 * Gemma. `gemma` is Gemma 3 (no tool tokens, §3.1): system text folded into the first user turn, and with
 * tools Google's prompted JSON variant (`{"name": …, "parameters": {…}}`, no other text), results in a user
 * turn. `gemma4` is Gemma 4's own format (§3.2): `<|turn>` turns, `<|tool>declaration:…<tool|>` in the system
 * turn, calls and `<|tool_response>` results inside the model turn, `<|think|>` to enable thinking and an
 * empty thought block otherwise.
 */
import type { ChatMessage, JsonSchema } from '../types.js';
import { gemmaToJson, toGemmaValue } from './gemma-value.js';
import {
  argsValue,
  callNames,
  forcedCall,
  formatInstruction,
  isPlainChat,
  isSystem,
  openAiTool,
  shownTools,
  systemText,
  toolResultName,
  type RenderedPrompt,
  type RenderOptions,
} from './render-common.js';
import { toolNameMap, type ToolNameMap } from './tool-names.js';

const JSON_TOOLS_INTRO =
  'You have access to functions. If you decide to invoke any of the function(s), you MUST put it in the ' +
  'format of\n{"name": function name, "parameters": dictionary of argument name and its value}\n\n' +
  'You SHOULD NOT include any other text in the response if you call a function\n';

/** A forced call's opener in the JSON variants (Gemma 3, Llama 3): `{"name": "NAME", "parameters": `. */
export function jsonCallPrefill(o: RenderOptions): string {
  const forced = forcedCall(o);
  if (forced === undefined) return '';
  return forced ? `{"name": ${JSON.stringify(forced)}, "parameters": ` : '{"name": "';
}

export function jsonToolList(o: RenderOptions): string {
  return JSON.stringify(shownTools(o).map(openAiTool), null, 2);
}

function gemma3Content(m: ChatMessage, names: ReadonlyMap<string, string>): string {
  if (m.role === 'tool')
    return `<tool_response>\n${toolResultName(m, names)}: ${m.content}\n</tool_response>`;
  const calls = (m.toolCalls ?? []).map(
    (c) => `{"name": ${JSON.stringify(c.name)}, "parameters": ${JSON.stringify(argsValue(c.arguments))}}`,
  );
  return [m.content, ...calls].filter(Boolean).join('\n');
}

export function renderGemma3(messages: readonly ChatMessage[], o: RenderOptions): RenderedPrompt {
  const stop = ['<end_of_turn>', '<eos>'];
  const plain = isPlainChat(messages, o);
  const tools = shownTools(o).length ? `${JSON_TOOLS_INTRO}${jsonToolList(o)}` : '';
  const system = [systemText(messages), tools, plain ? '' : formatInstruction(o.responseFormat)];
  let pendingSystem = system.filter(Boolean).join('\n\n');
  pendingSystem = pendingSystem ? `${pendingSystem}\n\n` : '';
  const names = callNames(messages);
  let out = '<bos>';
  for (const m of messages) {
    if (isSystem(m)) continue;
    const role = m.role === 'assistant' ? 'model' : 'user';
    const content = plain ? m.content : gemma3Content(m, names);
    out += `<start_of_turn>${role}\n${role === 'user' ? pendingSystem : ''}${content}<end_of_turn>\n`;
    if (role === 'user') pendingSystem = '';
  }
  if (pendingSystem) out += `<start_of_turn>user\n${pendingSystem.trimEnd()}<end_of_turn>\n`;
  const prefill = jsonCallPrefill(o);
  return { prompt: `${out}<start_of_turn>model\n${prefill}`, stop, prefill };
}

/** JSON Schema as Gemma 4 declares it: type names upper-case (keys are sorted when written). */
function upperTypes(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(upperTypes);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [
      k,
      k === 'type' && typeof v === 'string' ? v.toUpperCase() : upperTypes(v),
    ]),
  );
}

function declarations(o: RenderOptions, names: ToolNameMap): string {
  return shownTools(o)
    .map((t) => {
      const decl: JsonSchema = { description: t.description ?? '' };
      if (t.parameters) decl.parameters = upperTypes(t.parameters);
      const shown = names.toPrompt.get(t.name) ?? t.name;
      return `<|tool>declaration:${shown}${toGemmaValue(decl, true)}<tool|>`;
    })
    .join('');
}

/** A result as Gemma 4 reads it: the keys of a JSON object, else `{value:…}`. */
function responseValue(content: string): string {
  const value = argsValue(content);
  const object = typeof value === 'object' && value !== null && !Array.isArray(value);
  return toGemmaValue(object ? value : { value: content });
}

function gemma4Turns(messages: readonly ChatMessage[], names: ToolNameMap): string {
  const byId = callNames(messages);
  let out = '';
  let open = false;
  for (const m of messages) {
    if (isSystem(m)) continue;
    if (m.role === 'tool') {
      const name = toolResultName(m, byId);
      out += `<|tool_response>response:${names.toPrompt.get(name) ?? name}${responseValue(m.content)}<tool_response|>`;
      continue;
    }
    if (open) out += '<turn|>\n';
    const calls = (m.toolCalls ?? []).map((c) => {
      const args = gemmaToJson(c.arguments) === undefined ? {} : argsValue(c.arguments);
      return `<|tool_call>call:${names.toPrompt.get(c.name) ?? c.name}${toGemmaValue(args)}<tool_call|>`;
    });
    out += `<|turn>${m.role === 'assistant' ? 'model' : 'user'}\n${m.content}${calls.join('')}`;
    open = true;
  }
  return out;
}

export function renderGemma4(messages: readonly ChatMessage[], o: RenderOptions): RenderedPrompt {
  const names = toolNameMap(o.tools ?? []);
  const thinking = Boolean(o.reasoningEffort || o.includeReasoning);
  const text = [systemText(messages), formatInstruction(o.responseFormat)].filter(Boolean).join('\n\n');
  const systemBody = `${thinking ? '<|think|>' : ''}${text}${declarations(o, names)}`;
  const system = systemBody ? `<|turn>system\n${systemBody}<turn|>\n` : '';
  const turns = gemma4Turns(messages, names);
  const continuing = messages.at(-1)?.role === 'tool';
  const forced = forcedCall(o);
  const opener =
    forced === undefined
      ? ''
      : `<|tool_call>call:${forced ? `${names.toPrompt.get(forced) ?? forced}{` : ''}`;
  const start = continuing ? '' : `${turns ? '<turn|>\n' : ''}<|turn>model\n`;
  const prefill = `${thinking || continuing ? '' : '<|channel>thought\n<channel|>'}${opener}`;
  return {
    prompt: `<bos>${system}${turns}${start}${prefill}`,
    stop: ['<turn|>', '<|tool_response>'],
    prefill,
  };
}

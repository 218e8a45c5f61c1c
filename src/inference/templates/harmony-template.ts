/**
 * gpt-oss (OpenAI harmony, §1). Without tools, format or reasoning asked for, the answer is opened on the
 * final channel (fast: no analysis comes back), as before. Otherwise the system message carries the
 * reasoning level (low unless asked: Portal's default for speed) and, with tools, the commentary-channel
 * line; the developer message carries instructions, the `namespace functions` block and response formats;
 * the model picks its channels (analysis → reasoning, commentary calls, final), and only `<|return|>` and
 * `<|call|>` stop it (`<|end|>` closes the analysis message it continues after).
 */
import type { ChatMessage } from '../types.js';
import {
  callNames,
  forcedCall,
  isPlainChat,
  isSystem,
  lastUserIndex,
  shownTools,
  systemText,
  toolResultName,
  type RenderedPrompt,
  type RenderOptions,
} from './render-common.js';
import { toolNameMap, type ToolNameMap } from './tool-names.js';
import { toolType } from './typescript-schema.js';

const CHANNELS = '# Valid channels: analysis, commentary, final. Channel must be included for every message.';
const TOOLS_LINE = "\nCalls to these tools must go to the commentary channel: 'functions'.";
const FINAL = '<|start|>assistant<|channel|>final<|message|>';

function plainTurn(m: ChatMessage): string {
  switch (m.role) {
    case 'system':
    case 'developer':
      return `<|start|>developer<|message|># Instructions\n\n${m.content}<|end|>`;
    case 'assistant':
      return `${FINAL}${m.content}<|end|>`;
    case 'tool':
      return `<|start|>functions.${m.name ?? 'tool'} to=assistant<|channel|>commentary<|message|>${m.content}<|end|>`;
    case 'user':
      return `<|start|>user<|message|>${m.content}<|end|>`;
  }
}

function developer(messages: readonly ChatMessage[], o: RenderOptions, names: ToolNameMap): string {
  const sections: string[] = [];
  const instructions = systemText(messages);
  if (instructions) sections.push(`# Instructions\n\n${instructions}`);
  const tools = shownTools(o);
  if (tools.length) {
    const types = tools.map((t) => `${toolType(t, names.toPrompt.get(t.name) ?? t.name)}\n\n`).join('');
    sections.push(`# Tools\n\n## functions\n\nnamespace functions {\n\n${types}} // namespace functions`);
  }
  const format = o.responseFormat;
  if (format?.type === 'json_schema')
    sections.push(`# Response Formats\n\n## ${format.name}\n\n${JSON.stringify(format.schema)}`);
  else if (format?.type === 'json_object')
    sections.push('# Response Formats\n\nRespond with one JSON object only, with no other text.');
  return sections.length ? `<|start|>developer<|message|>${sections.join('\n\n')}<|end|>` : '';
}

function assistantTurns(m: ChatMessage, ongoing: boolean, names: ToolNameMap): string {
  let out = '';
  if (m.reasoning && ongoing) out += `<|start|>assistant<|channel|>analysis<|message|>${m.reasoning}<|end|>`;
  const calls = m.toolCalls ?? [];
  if (m.content)
    out += `<|start|>assistant<|channel|>${calls.length ? 'commentary' : 'final'}<|message|>${m.content}<|end|>`;
  for (const c of calls) {
    const shown = names.toPrompt.get(c.name) ?? c.name;
    out += `<|start|>assistant to=functions.${shown}<|channel|>commentary <|constrain|>json<|message|>${c.arguments}<|call|>`;
  }
  return out;
}

function conversation(messages: readonly ChatMessage[], names: ToolNameMap): string {
  const byId = callNames(messages);
  const lastUser = lastUserIndex(messages);
  return messages
    .map((m, i) => {
      if (isSystem(m)) return '';
      if (m.role === 'assistant') return assistantTurns(m, i > lastUser, names);
      if (m.role === 'tool') {
        const name = toolResultName(m, byId);
        const shown = names.toPrompt.get(name) ?? name;
        return `<|start|>functions.${shown} to=assistant<|channel|>commentary<|message|>${m.content}<|end|>`;
      }
      return plainTurn(m);
    })
    .join('');
}

function prefillFor(o: RenderOptions, names: ToolNameMap): string {
  const forced = forcedCall(o);
  if (forced === '') return '<|start|>assistant<|channel|>commentary to=functions.';
  if (forced !== undefined)
    return `<|start|>assistant<|channel|>commentary to=functions.${names.toPrompt.get(forced) ?? forced} <|constrain|>json<|message|>`;
  if (shownTools(o).length || o.reasoningEffort || o.includeReasoning) return '<|start|>assistant';
  return FINAL;
}

export function renderHarmony(messages: readonly ChatMessage[], o: RenderOptions): RenderedPrompt {
  if (isPlainChat(messages, o)) {
    const system = `<|start|>system<|message|>Reasoning: low\n\n${CHANNELS}<|end|>`;
    const prompt = system + messages.map(plainTurn).join('') + FINAL;
    return { prompt, stop: ['<|return|>', '<|end|>', '<|call|>'], prefill: FINAL };
  }
  const names = toolNameMap(o.tools ?? []);
  const toolsLine = shownTools(o).length ? TOOLS_LINE : '';
  const system = `<|start|>system<|message|>Reasoning: ${o.reasoningEffort ?? 'low'}\n\n${CHANNELS}${toolsLine}<|end|>`;
  const prefill = prefillFor(o, names);
  const prompt = system + developer(messages, o, names) + conversation(messages, names) + prefill;
  const stop = prefill === FINAL ? ['<|return|>', '<|end|>', '<|call|>'] : ['<|return|>', '<|call|>'];
  return { prompt, stop, prefill };
}

/**
 * Chat templates: how each model family turns chat messages into the one raw prompt a Cortensor router
 * takes (`prompt_type` 1). Each family is data (markers and stop sequences) plus one small render function.
 */
import type { TemplateFamily } from '../../platform/config/schema.js';
import type { ChatMessage } from '../types.js';

export interface RenderedPrompt {
  prompt: string;
  /** Sequences that end the assistant's turn; sent upstream and cut from the answer if they slip through. */
  stop: string[];
}

interface Template {
  stop: string[];
  render(messages: readonly ChatMessage[]): string;
}

const HARMONY_SYSTEM =
  'Reasoning: low\n\n# Valid channels: analysis, commentary, final. Channel must be included for every message.';

function harmonyTurn(m: ChatMessage): string {
  switch (m.role) {
    case 'system':
    case 'developer':
      return `<|start|>developer<|message|># Instructions\n\n${m.content}<|end|>`;
    case 'assistant':
      return `<|start|>assistant<|channel|>final<|message|>${m.content}<|end|>`;
    case 'tool':
      return `<|start|>functions.${m.name ?? 'tool'} to=assistant<|channel|>commentary<|message|>${m.content}<|end|>`;
    case 'user':
      return `<|start|>user<|message|>${m.content}<|end|>`;
  }
}

/** gpt-oss (OpenAI harmony). The answer is opened on the final channel, so no analysis text comes back. */
const harmony: Template = {
  stop: ['<|return|>', '<|end|>', '<|call|>'],
  render: (messages) =>
    `<|start|>system<|message|>${HARMONY_SYSTEM}<|end|>` +
    messages.map(harmonyTurn).join('') +
    '<|start|>assistant<|channel|>final<|message|>',
};

/** Gemma: user/model turns only; system text is prepended to the first user turn. */
const gemma: Template = {
  stop: ['<end_of_turn>', '<eos>'],
  render(messages) {
    const system = messages
      .filter((m) => m.role === 'system' || m.role === 'developer')
      .map((m) => m.content);
    let pendingSystem = system.length ? `${system.join('\n\n')}\n\n` : '';
    let out = '<bos>';
    for (const m of messages) {
      if (m.role === 'system' || m.role === 'developer') continue;
      const role = m.role === 'assistant' ? 'model' : 'user';
      const content = role === 'user' ? pendingSystem + m.content : m.content;
      if (role === 'user') pendingSystem = '';
      out += `<start_of_turn>${role}\n${content}<end_of_turn>\n`;
    }
    if (pendingSystem) out += `<start_of_turn>user\n${pendingSystem.trimEnd()}<end_of_turn>\n`;
    return `${out}<start_of_turn>model\n`;
  },
};

/** Qwen (ChatML). Tool results go back as a user turn wrapped in <tool_response>, as Qwen3 expects. */
const chatml: Template = {
  stop: ['<|im_end|>', '<|endoftext|>'],
  render(messages) {
    const turns = messages.map((m) => {
      if (m.role === 'tool')
        return `<|im_start|>user\n<tool_response>\n${m.content}\n</tool_response><|im_end|>\n`;
      const role = m.role === 'developer' ? 'system' : m.role;
      return `<|im_start|>${role}\n${m.content}<|im_end|>\n`;
    });
    return `${turns.join('')}<|im_start|>assistant\n`;
  },
};

/** Llama 3.x. */
const llama3: Template = {
  stop: ['<|eot_id|>', '<|end_of_text|>'],
  render(messages) {
    const turns = messages.map((m) => {
      const role = m.role === 'developer' ? 'system' : m.role === 'tool' ? 'ipython' : m.role;
      return `<|start_header_id|>${role}<|end_header_id|>\n\n${m.content}<|eot_id|>`;
    });
    return `<|begin_of_text|>${turns.join('')}<|start_header_id|>assistant<|end_header_id|>\n\n`;
  },
};

const PLAIN_LABELS: Record<ChatMessage['role'], string> = {
  system: 'System',
  developer: 'System',
  user: 'User',
  assistant: 'Assistant',
  tool: 'Tool',
};

/** Models without special tokens: labelled paragraphs. */
const plain: Template = {
  stop: ['\nUser:', '\nSystem:'],
  render: (messages) =>
    `${messages.map((m) => `${PLAIN_LABELS[m.role]}: ${m.content}`).join('\n\n')}\n\nAssistant:`,
};

const templates: Record<TemplateFamily, Template> = { harmony, gemma, chatml, llama3, plain };

export function isTemplateFamily(name: string): name is TemplateFamily {
  return Object.hasOwn(templates, name);
}

/**
 * Renders chat messages for a model family.
 * @example renderChat('chatml', [{ role: 'user', content: 'Hi' }]).prompt
 *   // '<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n'
 */
export function renderChat(family: string, messages: readonly ChatMessage[]): RenderedPrompt {
  const template = isTemplateFamily(family) ? templates[family] : plain;
  return { prompt: template.render(messages), stop: [...template.stop] };
}

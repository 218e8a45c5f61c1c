/**
 * Chat templates: how each model family turns chat messages (and tools, a forced call, a response format,
 * a reasoning level) into the one raw prompt a Cortensor router takes (`prompt_type` 1). One render function
 * per family; the rendered prompt says which stop sequences end the turn and what of the assistant's answer
 * the prompt already holds (`prefill`), for the output parser (./parsers).
 */
import type { TemplateFamily } from '#src/platform/config/schema.js';
import type { ChatMessage, ModelCapabilities } from '../types.js';
import { renderChatml } from './chatml-template.js';
import { renderGemma3, renderGemma4 } from './gemma-template.js';
import { renderHarmony } from './harmony-template.js';
import { renderLlama3 } from './llama3-template.js';
import type { RenderedPrompt, RenderOptions } from './render-common.js';

export type { RenderedPrompt, RenderOptions } from './render-common.js';

type Render = (messages: readonly ChatMessage[], options: RenderOptions) => RenderedPrompt;

const PLAIN_LABELS: Record<ChatMessage['role'], string> = {
  system: 'System',
  developer: 'System',
  user: 'User',
  assistant: 'Assistant',
  tool: 'Tool',
};

/** Models without special tokens: labelled paragraphs (no tool support). */
const renderPlain: Render = (messages) => ({
  prompt: `${messages.map((m) => `${PLAIN_LABELS[m.role]}: ${m.content}`).join('\n\n')}\n\nAssistant:`,
  stop: ['\nUser:', '\nSystem:'],
  prefill: '',
});

const templates: Record<TemplateFamily, Render> = {
  harmony: renderHarmony,
  gemma4: renderGemma4,
  gemma: renderGemma3,
  chatml: renderChatml,
  llama3: renderLlama3,
  plain: renderPlain,
};

export function isTemplateFamily(name: string): name is TemplateFamily {
  return Object.hasOwn(templates, name);
}

/** Families whose prompts carry tools (and whose output parser reads calls back). */
export function takesTools(family: string): boolean {
  return isTemplateFamily(family) && family !== 'plain';
}

/**
 * What a family's template and parser support; OpenAI-compatible pools pass tools natively whatever it says.
 * @example capabilitiesOf('harmony') // { tools: true, reasoning: true, json: true }
 */
export function capabilitiesOf(family: string): ModelCapabilities {
  const tools = takesTools(family);
  return { tools, reasoning: ['harmony', 'chatml', 'gemma4'].includes(family), json: tools };
}

/**
 * Renders chat messages for a model family.
 * @example renderChat('chatml', [{ role: 'user', content: 'Hi' }]).prompt
 *   // '<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n'
 */
export function renderChat(
  family: string,
  messages: readonly ChatMessage[],
  options: RenderOptions = {},
): RenderedPrompt {
  const render = isTemplateFamily(family) ? templates[family] : renderPlain;
  return render(messages, options);
}

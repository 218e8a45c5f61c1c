/**
 * An Anthropic Messages request (already schema-checked) in the gateway's neutral form: tool_use blocks become
 * the assistant's calls, tool_result blocks tool messages (in block order, text after them a user message),
 * thinking blocks the assistant's reasoning; custom tools, tool choice and extended thinking map to the neutral
 * fields. Images, documents and server tools are a 400 naming the block or tool.
 */
import type { ChatMessage, ReasoningEffort, ToolChoice, ToolDefinition } from '#src/inference/types.js';
import { customToolSchema, type MessagesBody } from '#src/contracts/anthropic-requests.js';
import { parseWith } from '../schemas/parse.js';
import type { GatewayCall, Tooling } from '../gateway.js';
import { CallLedger, checkToolChoice, checkTools, invalid } from './tools.js';

/** Without tools or thinking: no reasoning back (shared, so a plain request allocates nothing for it). */
const PLAIN: Tooling = Object.freeze({ includeReasoning: false });

export function messagesCallOf(body: MessagesBody): GatewayCall {
  return {
    endpoint: '/v1/messages',
    model: body.model,
    messages: toMessages(body),
    maxTokens: body.max_tokens,
    temperature: body.temperature,
    topP: body.top_p,
    topK: body.top_k,
    stop: body.stop_sequences,
    stream: body.stream === true,
    tooling: toolingOf(body),
  };
}

function toolingOf(body: MessagesBody): Tooling {
  if (!body.tools?.length && !body.tool_choice && !body.thinking) return PLAIN;
  const tools = (body.tools ?? []).map((tool, i): ToolDefinition => {
    if (tool.type !== undefined && tool.type !== 'custom')
      invalid(
        `tools.${i}.type`,
        `Tools of type "${String(tool.type).slice(0, 60)}" are not supported: Portal runs custom tools (name, description, input_schema) only.`,
      );
    const t = parseWith(customToolSchema, tool, `tools.${i}`);
    return {
      name: t.name,
      ...(t.description ? { description: t.description } : {}),
      parameters: t.input_schema,
      ...(t.strict ? { strict: true } : {}),
    };
  });
  checkTools(tools, {
    list: 'tools',
    name: (i) => `tools.${i}.name`,
    schema: (i) => `tools.${i}.input_schema`,
  });
  const choice = body.tool_choice;
  const toolChoice: ToolChoice | undefined =
    choice?.type === 'any'
      ? { type: 'required' }
      : choice?.type === 'tool'
        ? { type: 'function', name: choice.name }
        : choice && { type: choice.type };
  checkToolChoice(toolChoice, tools, 'tool_choice');
  const thinking = body.thinking;
  if (thinking?.type === 'enabled' && thinking.budget_tokens >= body.max_tokens)
    invalid('thinking.budget_tokens', '`max_tokens` must be greater than `thinking.budget_tokens`.');
  const disableParallel = choice && 'disable_parallel_tool_use' in choice && choice.disable_parallel_tool_use;
  return {
    ...(tools.length ? { tools } : {}),
    ...(toolChoice ? { toolChoice } : {}),
    ...(disableParallel ? { parallelToolCalls: false } : {}),
    ...(thinking?.type === 'enabled' ? { reasoningEffort: effortOf(thinking.budget_tokens) } : {}),
    includeReasoning:
      (thinking?.type === 'enabled' || thinking?.type === 'adaptive') && thinking.display !== 'omitted',
  };
}

/** A thinking budget as harmony's reasoning level (the only family with a dial). */
function effortOf(budget: number): ReasoningEffort {
  return budget < 4096 ? 'low' : budget < 16_384 ? 'medium' : 'high';
}

type Block = Exclude<MessagesBody['messages'][number]['content'], string>[number];

function unsupported(param: string, type: string): never {
  invalid(
    param,
    `Content blocks of type "${type}" are not supported: Portal models take text and tools only.`,
  );
}

function toMessages(body: MessagesBody): ChatMessage[] {
  const out: ChatMessage[] = [];
  const ledger = new CallLedger();
  const system = typeof body.system === 'string' ? body.system : body.system?.map((b) => b.text).join('\n');
  if (system) out.push({ role: 'system', content: system });
  body.messages.forEach((m, i) => {
    if (typeof m.content === 'string') return void out.push({ role: m.role, content: m.content });
    if (m.role === 'assistant') out.push(assistantOf(m.content, i, ledger));
    else userTurns(m.content, i, ledger, out);
  });
  return out;
}

function assistantOf(blocks: Block[], i: number, ledger: CallLedger): ChatMessage {
  const message: ChatMessage = { role: 'assistant', content: '' };
  blocks.forEach((block, j) => {
    switch (block.type) {
      case 'text':
        message.content += (message.content ? '\n' : '') + block.text;
        return;
      case 'thinking':
        message.reasoning = (message.reasoning ? message.reasoning + '\n' : '') + block.thinking;
        return;
      case 'redacted_thinking':
        return; // opaque to Portal: nothing to render
      case 'tool_use':
        ledger.record(block.id, block.name);
        (message.toolCalls ??= []).push({
          id: block.id,
          name: block.name,
          arguments: JSON.stringify(block.input),
        });
        return;
      // Known to the schema so the error names the block; not rendered into an assistant turn.
      case 'image':
      case 'document':
      case 'search_result':
      case 'server_tool_use':
      case 'web_search_tool_result':
      case 'container_upload':
      case 'tool_result':
        unsupported(`messages.${i}.content.${j}.type`, block.type);
    }
  });
  return message;
}

/** A user turn's blocks in order: text gathers into user messages, each tool_result is a tool message. */
function userTurns(blocks: Block[], i: number, ledger: CallLedger, out: ChatMessage[]) {
  let text: string | undefined;
  const flush = () => {
    if (text !== undefined) out.push({ role: 'user', content: text });
    text = undefined;
  };
  blocks.forEach((block, j) => {
    if (block.type === 'text') text = text === undefined ? block.text : `${text}\n${block.text}`;
    else if (block.type === 'tool_result') {
      flush();
      const name = ledger.answer(block.tool_use_id, `messages.${i}.content.${j}.tool_use_id`);
      const content = resultText(block.content, `messages.${i}.content.${j}.content`);
      out.push({
        role: 'tool',
        toolCallId: block.tool_use_id,
        name,
        // The neutral message has no error flag: the model reads it in the result.
        content: block.is_error ? `Error: ${content}` : content,
      });
    } else unsupported(`messages.${i}.content.${j}.type`, block.type);
  });
  flush();
}

type ResultContent = Extract<Block, { type: 'tool_result' }>['content'];

function resultText(content: ResultContent, param: string): string {
  if (content === undefined || typeof content === 'string') return content ?? '';
  return content
    .map((part, k) => (part.type === 'text' ? part.text : unsupported(`${param}.${k}.type`, part.type)))
    .join('\n');
}

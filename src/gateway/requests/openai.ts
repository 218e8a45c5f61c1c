/**
 * An OpenAI chat request (already schema-checked) in the gateway's neutral form: messages with their calls
 * and results, tools, tool choice, response format and reasoning effort. Unsupported content parts are a 400
 * naming the part; a tool message must answer a call an earlier assistant message made.
 */
import type {
  ChatMessage,
  ReasoningEffort,
  ResponseFormat,
  ToolChoice,
  ToolDefinition,
} from '#src/inference/types.js';
import type { ChatCompletionBody } from '#src/contracts/openai-requests.js';
import { samplingOf } from '#src/contracts/openai-requests.js';
import type { GatewayCall, Tooling } from '../gateway.js';
import { CallLedger, checkResponseFormat, checkToolChoice, checkTools, invalid } from './tools.js';

type Body = ChatCompletionBody;
type Message = Body['messages'][number];

export function chatCallOf(body: Body): GatewayCall {
  const ledger = new CallLedger();
  return {
    endpoint: '/v1/chat/completions',
    model: body.model,
    messages: body.messages.map((m, i) => toMessage(m, i, ledger)),
    maxTokens: body.max_completion_tokens ?? body.max_tokens,
    ...samplingOf(body),
    stream: body.stream === true,
    tooling: toolingOf(body),
  };
}

function toolingOf(body: Body): Tooling | undefined {
  const hasTools = !!body.tools?.length;
  if (!hasTools && !body.tool_choice && !body.response_format && !body.reasoning_effort) {
    return body.parallel_tool_calls == null ? undefined : { parallelToolCalls: body.parallel_tool_calls };
  }
  const tools: ToolDefinition[] = (body.tools ?? []).map(({ function: f }) => ({
    name: f.name,
    ...(f.description ? { description: f.description } : {}),
    ...(f.parameters ? { parameters: f.parameters } : {}),
    ...(f.strict ? { strict: true } : {}),
  }));
  checkTools(tools, {
    list: 'tools',
    name: (i) => `tools.${i}.function.name`,
    schema: (i) => `tools.${i}.function.parameters`,
  });
  const toolChoice = toolChoiceOf(body.tool_choice);
  checkToolChoice(toolChoice, tools, 'tool_choice');
  const responseFormat = responseFormatOf(body.response_format);
  checkResponseFormat(responseFormat, 'response_format.json_schema.schema');
  return {
    ...(hasTools ? { tools } : {}),
    ...(toolChoice ? { toolChoice } : {}),
    ...(body.parallel_tool_calls != null ? { parallelToolCalls: body.parallel_tool_calls } : {}),
    ...(body.reasoning_effort ? { reasoningEffort: effortOf(body.reasoning_effort) } : {}),
    ...(responseFormat ? { responseFormat } : {}),
  };
}

function toolChoiceOf(choice: Body['tool_choice']): ToolChoice | undefined {
  if (!choice) return undefined;
  if (typeof choice === 'string') return { type: choice };
  return { type: 'function', name: choice.function.name };
}

function responseFormatOf(format: Body['response_format']): ResponseFormat | undefined {
  if (!format || format.type === 'text') return undefined;
  if (format.type === 'json_object') return format;
  const { name, schema, strict } = format.json_schema;
  // A json_schema without a schema asks for JSON and nothing more.
  if (!schema) return { type: 'json_object' };
  return { type: 'json_schema', name, schema, ...(strict ? { strict: true } : {}) };
}

function effortOf(effort: NonNullable<Body['reasoning_effort']>): ReasoningEffort {
  if (effort === 'none' || effort === 'minimal') return 'low';
  if (effort === 'xhigh') return 'high';
  return effort;
}

function textOf(m: Message, index: number): string {
  if (typeof m.content === 'string') return m.content;
  let content = '';
  for (const [j, part] of (m.content ?? []).entries()) {
    if (part.type !== 'text')
      invalid(
        `messages.${index}.content.${j}.type`,
        `Content of type "${part.type}" is not supported: Portal models take text only.`,
      );
    content += (content ? '\n' : '') + (part as { text: string }).text;
  }
  return content;
}

function toMessage(m: Message, index: number, ledger: CallLedger): ChatMessage {
  const content = textOf(m, index);
  if (m.tool_calls?.length && m.role !== 'assistant')
    invalid(`messages.${index}.tool_calls`, 'Only assistant messages carry tool_calls.');
  if (m.role === 'tool') {
    if (!m.tool_call_id)
      invalid(
        `messages.${index}.tool_call_id`,
        'A tool message needs the tool_call_id of the call it answers.',
      );
    const name = ledger.answer(m.tool_call_id, `messages.${index}.tool_call_id`);
    return { role: 'tool', content, toolCallId: m.tool_call_id, name };
  }
  const message: ChatMessage = { role: m.role, content, ...(m.name ? { name: m.name } : {}) };
  if (m.role === 'assistant') {
    if (m.tool_calls?.length) {
      message.toolCalls = m.tool_calls.map((call) => {
        ledger.record(call.id, call.function.name);
        return { id: call.id, name: call.function.name, arguments: call.function.arguments };
      });
    }
    if (m.reasoning_content) message.reasoning = m.reasoning_content;
  }
  return message;
}

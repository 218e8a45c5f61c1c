/**
 * Tools on OpenAI-compatible upstreams, natively: the neutral request's tools, tool choice, parallel calls,
 * response format and reasoning effort in OpenAI's wire shape; assistant calls and tool results as OpenAI
 * messages; and the upstream's `tool_calls` (whole, or streamed as deltas) and `reasoning_content` /
 * `reasoning` back as neutral pieces. Ollama reuses index 0 for every call of a batch, telling them apart
 * by id only (§7), so a new id at a known index starts a new call.
 */
import { randomCallId } from '../templates/parsers/emit.js';
import type { ChatMessage, InferenceRequest, StreamPiece, ToolCall } from '../types.js';
import { isRecord } from './errors.js';

export function wireToolFields(request: InferenceRequest): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (request.tools?.length) {
    out.tools = request.tools.map((t) => ({
      type: 'function',
      function: {
        name: t.name,
        ...(t.description ? { description: t.description } : {}),
        parameters: t.parameters ?? { type: 'object', properties: {} },
        ...(t.strict ? { strict: true } : {}),
      },
    }));
    const choice = request.toolChoice;
    if (choice)
      out.tool_choice =
        choice.type === 'function' ? { type: 'function', function: { name: choice.name } } : choice.type;
    if (request.parallelToolCalls !== undefined) out.parallel_tool_calls = request.parallelToolCalls;
  }
  const format = request.responseFormat;
  if (format?.type === 'json_object') out.response_format = { type: 'json_object' };
  if (format?.type === 'json_schema')
    out.response_format = {
      type: 'json_schema',
      json_schema: { name: format.name, schema: format.schema, ...(format.strict ? { strict: true } : {}) },
    };
  if (request.reasoningEffort) out.reasoning_effort = request.reasoningEffort;
  return out;
}

/** A message as OpenAI takes it: calls and results natively; `developer` as `system` (every server knows it). */
export function wireMessage(m: ChatMessage): Record<string, unknown> {
  if (m.role === 'developer') return { role: 'system', content: m.content };
  if (m.role === 'tool') {
    if (m.toolCallId) return { role: 'tool', tool_call_id: m.toolCallId, content: m.content };
    return { role: 'user', content: `Tool result:\n${m.content}` };
  }
  if (m.role === 'assistant' && m.toolCalls?.length)
    return {
      role: 'assistant',
      content: m.content || null,
      tool_calls: m.toolCalls.map((c) => ({
        id: c.id,
        type: 'function',
        function: { name: c.name, arguments: c.arguments },
      })),
    };
  return { role: m.role, content: m.content };
}

function reasoningOf(holder: Record<string, unknown>): string | undefined {
  const r = holder.reasoning_content ?? holder.reasoning;
  return typeof r === 'string' && r ? r : undefined;
}

function argumentsText(value: unknown): string {
  if (typeof value === 'string') return value;
  return value === undefined ? '' : JSON.stringify(value);
}

/** `message.tool_calls` and reasoning of a whole answer. */
export function nativeAnswer(message: unknown): { toolCalls?: ToolCall[]; reasoning?: string } {
  if (!isRecord(message)) return {};
  const toolCalls = (Array.isArray(message.tool_calls) ? message.tool_calls : [])
    .filter(isRecord)
    .flatMap((c) => {
      const fn = isRecord(c.function) ? c.function : {};
      if (typeof fn.name !== 'string') return [];
      const id = typeof c.id === 'string' && c.id ? c.id : randomCallId();
      return [{ id, name: fn.name, arguments: argumentsText(fn.arguments) }];
    });
  const reasoning = reasoningOf(message);
  return { ...(toolCalls.length ? { toolCalls } : {}), ...(reasoning ? { reasoning } : {}) };
}

interface NativeCall {
  index: number;
  id?: string;
  name?: string;
  announced: boolean;
  /** Arguments that came before the name (announced only once the name is known). */
  args: string;
}

/** Streamed native calls: upstream index → the call being read. */
export interface NativeCalls {
  count: number;
  byUpstream: Map<number, NativeCall>;
}

export function createNativeCalls(): NativeCalls {
  return { count: 0, byUpstream: new Map() };
}

function callFor(calls: NativeCalls, delta: Record<string, unknown>): NativeCall {
  const upstream = typeof delta.index === 'number' ? delta.index : 0;
  const id = typeof delta.id === 'string' && delta.id ? delta.id : undefined;
  const known = calls.byUpstream.get(upstream);
  if (known && !(id && known.id && id !== known.id)) return known;
  const call: NativeCall = { index: calls.count++, id, announced: false, args: '' };
  calls.byUpstream.set(upstream, call);
  return call;
}

function deltaPieces(calls: NativeCalls, delta: Record<string, unknown>): StreamPiece[] {
  const call = callFor(calls, delta);
  const fn = isRecord(delta.function) ? delta.function : {};
  if (typeof fn.name === 'string' && fn.name) call.name = fn.name;
  const args = argumentsText(fn.arguments);
  if (call.announced) return args ? [{ type: 'tool_call_args', index: call.index, text: args }] : [];
  call.args += args;
  if (!call.name) return [];
  call.announced = true;
  const out: StreamPiece[] = [
    { type: 'tool_call', index: call.index, id: call.id ?? randomCallId(), name: call.name },
  ];
  if (call.args) out.push({ type: 'tool_call_args', index: call.index, text: call.args });
  return out;
}

/** A stream delta's reasoning and call pieces (its content is the adapter's, through the stop filter). */
export function nativeDeltaPieces(calls: NativeCalls, delta: unknown): StreamPiece[] {
  if (!isRecord(delta)) return [];
  const reasoning = reasoningOf(delta);
  const out: StreamPiece[] = reasoning ? [{ type: 'reasoning', text: reasoning }] : [];
  if (Array.isArray(delta.tool_calls))
    for (const d of delta.tool_calls) if (isRecord(d)) out.push(...deltaPieces(calls, d));
  return out;
}

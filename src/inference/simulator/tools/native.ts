/**
 * The simulator's OpenAI-compatible face with native tools: a chat request carrying `tools` gets
 * `tool_calls` (schema-conforming arguments from the last user message, honouring tool_choice and
 * parallel_tool_calls), an answer that uses a tool result once the last message is one, and a JSON object
 * for `response_format`. Streams send each call's name first, then its arguments in fragments, as vLLM does.
 */
import { hashString, rotated } from '../text.js';
import type { SimOptions } from '../options.js';
import { objectFor, wordsOf } from './schema-args.js';

export interface NativeCall {
  id: string;
  name: string;
  arguments: string;
}

export type NativeAnswer = { calls: NativeCall[] } | { text: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function toolsOf(body: Obj): Array<{ name: string; parameters: Obj }> {
  return (Array.isArray(body.tools) ? body.tools : []).flatMap((t) => {
    const fn = isObj(t) && isObj(t.function) ? t.function : undefined;
    if (!fn || typeof fn.name !== 'string') return [];
    return [{ name: fn.name, parameters: isObj(fn.parameters) ? fn.parameters : {} }];
  });
}

function chosen(body: Obj, tools: ReturnType<typeof toolsOf>, userText: string, perAnswer: number) {
  const choice = body.tool_choice;
  if (isObj(choice) && isObj(choice.function))
    return tools.filter((t) => t.name === (choice.function as Obj).name).slice(0, 1);
  const first = hashString(userText) % tools.length;
  const n =
    choice === 'required' || body.parallel_tool_calls === false ? 1 : Math.min(perAnswer, tools.length);
  return rotated(tools, first).slice(0, n);
}

export function nativeToolAnswer(body: Obj, o: SimOptions): NativeAnswer | undefined {
  const messages = (Array.isArray(body.messages) ? body.messages : []).filter(isObj);
  const last = messages.at(-1);
  const userText = String(messages.filter((m) => m.role === 'user').at(-1)?.content ?? '');
  if (last?.role === 'tool') {
    const callId = last.tool_call_id;
    const call = messages
      .flatMap((m) => (Array.isArray(m.tool_calls) ? m.tool_calls.filter(isObj) : []))
      .find((c) => c.id === callId);
    const name = isObj(call?.function) ? String(call.function.name) : 'the tool';
    return { text: `The result of ${name} is ${String(last.content ?? '').slice(0, 400)}.` };
  }
  const format = isObj(body.response_format) ? body.response_format : undefined;
  if (format?.type === 'json_schema' || format?.type === 'json_object') {
    const schema =
      isObj(format.json_schema) && isObj(format.json_schema.schema) ? format.json_schema.schema : {};
    const value = Object.keys(schema).length
      ? objectFor(schema, wordsOf(userText))
      : { answer: userText.slice(0, 80) };
    return { text: JSON.stringify(value) };
  }
  const tools = toolsOf(body);
  if (!tools.length || body.tool_choice === 'none') return undefined;
  const calls = chosen(body, tools, userText, o.toolCallsPerAnswer).map((t, i) => {
    const args = JSON.stringify(objectFor(t.parameters, wordsOf(userText)));
    const broken = o.malformedToolCalls ? args.replace(/"/g, "'").slice(0, -1) : args;
    return { id: `call_sim${hashString(userText + i).toString(36)}${i}`, name: t.name, arguments: broken };
  });
  return { calls };
}

/** Stream deltas of native calls: the name first, then the arguments in fragments of `size` characters. */
export function callDeltas(calls: NativeCall[], size = 8): Obj[] {
  const out: Obj[] = [];
  calls.forEach((c, index) => {
    out.push({
      tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.name, arguments: '' } }],
    });
    for (let i = 0; i < c.arguments.length; i += size)
      out.push({ tool_calls: [{ index, function: { arguments: c.arguments.slice(i, i + size) } }] });
  });
  return out;
}

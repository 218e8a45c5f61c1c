/**
 * Holds a model's answer to what the request demanded: a JSON answer for response_format json_object /
 * json_schema (validated with ajv), a call when tool_choice is required or named, calls only to known
 * functions with a JSON object as arguments (validated when the function is strict). A failing answer gets
 * one repair attempt within the request's deadline — the model is re-asked with its answer and the problem
 * appended — and a second failure is `invalid_model_output` (502). Streams are checked only when strict
 * (buffered, then replayed): see docs/decisions/011-tool-calling.md.
 */
import { PortalError } from '#src/platform/http/errors.js';
import { countChatTokens, countTokens } from '#src/inference/tokens.js';
import type {
  ChatMessage,
  Completion,
  CompletionStream,
  Inference,
  InferenceRequest,
  StreamPiece,
  UpstreamUsage,
} from '#src/inference/types.js';
import { compileSchema, describeErrors } from './validate.js';
import { toolingTokens } from './tokens.js';

/** A repair is only tried with at least this much of the deadline left. */
const REPAIR_MIN_MS = 2_000;

/** Whether a non-streamed answer has anything to be held to. */
const needsCheck = (r: InferenceRequest) =>
  !!r.tools?.length || (r.responseFormat !== undefined && r.responseFormat.type !== 'text');

/** Streams that are buffered and validated before the first byte: strict schemas only. */
export const mustBuffer = (r: InferenceRequest) =>
  (r.responseFormat?.type === 'json_schema' && r.responseFormat.strict === true) ||
  !!r.tools?.some((t) => t.strict);

/** A fenced answer (```json … ```) as its content: models fence JSON often, clients want the JSON. */
export function unfence(text: string): string {
  const m = /^\s*```[a-zA-Z]*\s*\n([\s\S]*?)\n?\s*```\s*$/.exec(text);
  return m?.[1] ?? text;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** What is wrong with an answer, or undefined. `answer` is already unfenced and trimmed to one call when asked. */
export function problemOf(r: InferenceRequest, answer: Completion): string | undefined {
  const calls = answer.toolCalls ?? [];
  const choice = r.toolChoice;
  if (r.tools?.length && !calls.length) {
    if (choice?.type === 'required') return 'you must call one of the functions, and did not';
    if (choice?.type === 'function') return `you must call the function "${choice.name}", and did not`;
  }
  for (const call of calls) {
    const tool = r.tools?.find((t) => t.name === call.name);
    if (!tool) return `you called "${call.name}", which is not one of the functions`;
    if (choice?.type === 'function' && call.name !== choice.name)
      return `you must call "${choice.name}", and called "${call.name}"`;
    const args = parseJson(call.arguments || '{}');
    if (!args.ok) return `the arguments of "${call.name}" are not valid JSON`;
    if (!isObject(args.value)) return `the arguments of "${call.name}" must be a JSON object`;
    if (tool.strict) {
      const compiled = compileSchema(tool.parameters ?? { type: 'object' });
      if (compiled.ok && !compiled.validate(args.value))
        return `the arguments of "${call.name}" do not match its schema: ${describeErrors(compiled.validate)}`;
    }
  }
  const format = r.responseFormat;
  if (calls.length || !format || format.type === 'text') return undefined;
  const json = parseJson(answer.text);
  if (!json.ok) return 'the answer is not valid JSON (reply with the JSON value only, no prose)';
  if (format.type === 'json_object')
    return isObject(json.value) ? undefined : 'the answer must be a JSON object';
  const compiled = compileSchema(format.schema);
  if (compiled.ok && !compiled.validate(json.value))
    return `the answer does not match the schema "${format.name}": ${describeErrors(compiled.validate)}`;
  return undefined;
}

/** The answer as the client will see it: JSON unfenced, one call when parallel calls are off. */
function normalise(r: InferenceRequest, c: Completion): Completion {
  let out = c;
  if (r.responseFormat && r.responseFormat.type !== 'text' && !c.toolCalls?.length) {
    const text = unfence(c.text).trim();
    if (text !== c.text) out = { ...out, text };
  }
  if (r.parallelToolCalls === false && c.toolCalls && c.toolCalls.length > 1)
    out = { ...out, toolCalls: c.toolCalls.slice(0, 1) };
  return out;
}

/** Everything the model generated, for counting output tokens when the upstream reported none. */
export function generatedText(c: Pick<Completion, 'text' | 'reasoning' | 'toolCalls'>): string {
  if (!c.reasoning && !c.toolCalls?.length) return c.text;
  let all = c.text + (c.reasoning ?? '');
  for (const call of c.toolCalls ?? []) all += call.name + call.arguments;
  return all;
}

function usageOf(r: InferenceRequest, c: Completion) {
  return (
    c.usage ?? {
      promptTokens: countChatTokens(r.messages ?? []) + toolingTokens(r, r.messages),
      completionTokens: countTokens(generatedText(c)),
    }
  );
}

function repairRequest(r: InferenceRequest, bad: Completion, problem: string): InferenceRequest {
  const said = bad.toolCalls?.length
    ? `${bad.text}\n${JSON.stringify(bad.toolCalls.map((c) => ({ name: c.name, arguments: c.arguments })))}`
    : bad.text;
  const messages: ChatMessage[] = [
    ...(r.messages ?? []),
    { role: 'assistant', content: said },
    { role: 'user', content: `Your previous answer was invalid: ${problem}. Answer again, correctly.` },
  ];
  return { ...r, messages };
}

/** `invalid_model_output`, carrying what the attempts used so the failure is metered like an answer. */
export class InvalidOutputError extends PortalError {
  constructor(
    problem: string,
    readonly usage: UpstreamUsage,
  ) {
    super({
      code: 'invalid_model_output',
      message: `The model's answer did not satisfy the request after a repair attempt: ${problem.slice(0, 400)}.`,
    });
  }
}

/**
 * A whole completion held to the request (see the module comment); usage covers both attempts when repaired.
 * @example const answer = await completeChecked(inference, request); // throws PortalError invalid_model_output
 */
export async function completeChecked(inference: Inference, r: InferenceRequest): Promise<Completion> {
  const first = await inference.complete(r);
  if (!needsCheck(r) || first.finishReason === 'length') return first;
  const answer = normalise(r, first);
  const problem = problemOf(r, answer);
  if (!problem) return answer;
  const spent = usageOf(r, first);
  if (r.signal.aborted || Date.now() > r.deadline - REPAIR_MIN_MS)
    throw new InvalidOutputError(problem, spent);
  const retry = repairRequest(r, answer, problem);
  const second = normalise(r, await inference.complete(retry));
  const again = usageOf(retry, second);
  const usage = {
    promptTokens: spent.promptTokens + again.promptTokens,
    completionTokens: spent.completionTokens + again.completionTokens,
  };
  if (second.finishReason === 'length') return { ...second, usage };
  const still = problemOf(r, second);
  if (still) throw new InvalidOutputError(still, usage);
  return { ...second, usage };
}

/** A checked completion as a stream (strict requests): the pieces it is made of, in one batch. */
export function replay(c: Completion): CompletionStream {
  const pieces: StreamPiece[] = [];
  if (c.reasoning) pieces.push({ type: 'reasoning', text: c.reasoning });
  if (c.text) pieces.push({ type: 'text', text: c.text });
  (c.toolCalls ?? []).forEach((call, index) => {
    pieces.push({ type: 'tool_call', index, id: call.id, name: call.name });
    pieces.push({ type: 'tool_call_args', index, text: call.arguments });
  });
  pieces.push({ type: 'end', finishReason: c.finishReason, ...(c.usage ? { usage: c.usage } : {}) });
  return {
    route: c.route,
    batches: (async function* () {
      yield pieces;
    })(),
  };
}

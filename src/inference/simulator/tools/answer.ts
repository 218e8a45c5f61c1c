/**
 * The simulated model's answer when a prompt carries tools or asks for JSON, in the family's own syntax:
 * calls with schema-conforming arguments (continuing a prefilled forced call), a text answer that uses a
 * tool result, or a JSON object. Knobs make the answer awkward on purpose: malformed call JSON, stream
 * pieces cut inside markers, reasoning text before the answer.
 */
import { toGemmaValue } from '#src/inference/templates/gemma-value.js';
import { hashString, rotated } from '../text.js';
import type { SimOptions } from '../options.js';
import type { PromptReading, SimTool } from './read-prompt.js';
import { objectFor, wordsOf } from './schema-args.js';

interface Call {
  name: string;
  args: Record<string, unknown>;
}

const REASONING = 'The user asked a question; I look at the tools and the conversation before answering.';

function pickTools(r: PromptReading, count: number): SimTool[] {
  if (r.forced) return r.tools.filter((t) => t.name === r.forced).slice(0, 1);
  const lower = r.userText.toLowerCase();
  const hinted = r.tools.findIndex((t) =>
    t.name.split(/[_\W]+/).some((w) => w.length > 2 && lower.includes(w)),
  );
  const first = hinted === -1 ? hashString(r.userText) % r.tools.length : hinted;
  const n = r.forced === '' ? 1 : Math.min(count, r.tools.length);
  return rotated(r.tools, first).slice(0, n);
}

function argsText(call: Call, malformed: boolean): string {
  const json = JSON.stringify(call.args);
  return malformed ? json.replace(/"/g, "'").slice(0, -1) : json;
}

/** One call in the family's syntax; `opened` = the prompt already holds its opener up to the arguments. */
function callText(
  r: PromptReading,
  call: Call,
  malformed: boolean,
  opened: 'name' | 'args' | 'none',
): string {
  const args = argsText(call, malformed);
  switch (r.family) {
    case 'harmony': {
      const head = `<|channel|>commentary to=functions.${call.name} <|constrain|>json<|message|>`;
      const body = `${args}<|call|>`;
      if (opened === 'args') return body;
      return opened === 'name' ? `${call.name} <|constrain|>json<|message|>${body}` : head + body;
    }
    case 'chatml': {
      const whole = `{"name": "${call.name}", "arguments": ${args}}\n</tool_call>`;
      if (opened === 'args') return `${args}}\n</tool_call>`;
      return opened === 'name' ? whole : `<tool_call>\n${whole}`;
    }
    case 'gemma4': {
      const value = malformed ? toGemmaValue(call.args).slice(0, -1) : toGemmaValue(call.args);
      if (opened === 'args') return `${value.slice(1)}<tool_call|>`;
      return `${opened === 'name' ? '' : '<|tool_call>call:'}${call.name}${value}<tool_call|>`;
    }
    case 'gemma':
    case 'llama3': {
      if (opened === 'args') return `${args}}`;
      const rest = `${call.name}", "parameters": ${args}}`;
      return opened === 'name' ? rest : `{"name": "${rest}`;
    }
  }
}

function reasoningText(r: PromptReading, o: SimOptions): string {
  const want = o.reasoning === 'always' || (o.reasoning === 'auto' && r.openChannel);
  if (!want || r.forced !== undefined) return '';
  switch (r.family) {
    case 'harmony':
      return `<|channel|>analysis<|message|>${REASONING}<|end|><|start|>assistant`;
    case 'chatml':
      return `<think>\n${REASONING}\n</think>\n\n`;
    case 'gemma4':
      return `<|channel>thought\n${REASONING}<channel|>`;
    case 'gemma':
    case 'llama3':
      return '';
  }
}

function finalText(r: PromptReading, text: string): string {
  if (r.family !== 'harmony') return text;
  return `${r.openChannel ? '<|channel|>final<|message|>' : ''}${text}<|return|>`;
}

function calls(r: PromptReading, o: SimOptions): string {
  const words = wordsOf(r.userText);
  const chosen = pickTools(r, o.toolCallsPerAnswer).map((t) => ({
    name: t.name,
    args: objectFor(t.parameters, words),
  }));
  const opened = r.forced === undefined ? 'none' : r.forced ? 'args' : 'name';
  const texts = chosen.map((c, i) => callText(r, c, o.malformedToolCalls, i === 0 ? opened : 'none'));
  const joiner =
    r.family === 'chatml'
      ? '\n'
      : r.family === 'harmony'
        ? '<|start|>assistant'
        : r.family === 'gemma4'
          ? ''
          : '; ';
  return texts.join(joiner);
}

/** The answer's raw text, or undefined when the prompt needs no tool or JSON answer. */
export function toolAnswerText(r: PromptReading, o: SimOptions): string | undefined {
  const reasoning = reasoningText(r, o);
  if (r.toolResult) {
    const content = r.toolResult.content.trim().slice(0, 400);
    return reasoning + finalText(r, `The result of ${r.toolResult.name} is ${content}.`);
  }
  if (r.json) {
    const answer = Object.keys(r.json).length
      ? objectFor(r.json, wordsOf(r.userText))
      : { answer: r.userText.slice(0, 80) };
    return reasoning + finalText(r, JSON.stringify(answer));
  }
  if (r.tools.length) return reasoning + calls(r, o);
  return undefined;
}

export const MARKER = /<\|[^|<>]{1,20}\|>|<\|[a-z_]+>|<[a-z_]+\|>|<\/?(?:tool_call|think)>|<\|"\|>/g;

/**
 * Stream pieces: markers whole (special tokens are one token each) and text in word-sized pieces; with
 * `splitMarkers`, every marker is cut in two across pieces.
 */
export function answerPieces(text: string, splitMarkers: boolean): string[] {
  const pieces: string[] = [];
  let from = 0;
  const words = (t: string) => pieces.push(...(t.match(/\s*\S{1,6}|\s+/g) ?? []));
  for (const m of text.matchAll(MARKER)) {
    words(text.slice(from, m.index));
    const half = Math.ceil(m[0].length / 2);
    if (splitMarkers) pieces.push(m[0].slice(0, half), m[0].slice(half));
    else pieces.push(m[0]);
    from = m.index + m[0].length;
  }
  words(text.slice(from));
  return pieces;
}

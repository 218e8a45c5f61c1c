/**
 * Output of families whose calls are bare JSON (Llama 3.1/3.3 JSON tools §4, Gemma 3's prompted JSON
 * variant §3.1): the answer is a call only when it starts (after whitespace) with `{`, a ```json fence or
 * `<|python_tag|>`; otherwise it is text, passed through (vLLM `llama3_json`, Ollama's `{` tag mode, §6.3).
 * Several calls may follow one another, separated by `;` or whitespace. An opening brace that turns out not
 * to be a call (no name, not JSON) is shown as text.
 */
import { createCallBody, endBody, pushBody, type CallBody } from './json-call.js';
import { bodyPieces } from './hermes.js';
import {
  createWsHold,
  passText,
  textPiece,
  type CallCounter,
  type OutputPiece,
  type WsHold,
} from './emit.js';
import type { Token } from './scanner.js';

export const JSON_TOOL_MARKERS = ['<|python_tag|>', '<|eom_id|>', '<|eot_id|>'];

export interface JsonToolsState {
  /** start: undecided (leading whitespace held); after: between calls. */
  mode: 'start' | 'text' | 'call' | 'after';
  lead: string;
  text: WsHold;
  body: CallBody;
  calls: CallCounter;
}

export function createJsonToolsState(calls: CallCounter, toolsOn: boolean): JsonToolsState {
  return { mode: toolsOn ? 'start' : 'text', lead: '', text: createWsHold(), body: createCallBody(), calls };
}

function startCall(s: JsonToolsState, text: string): OutputPiece[] {
  s.mode = 'call';
  s.body = createCallBody();
  return callText(s, text);
}

function callText(s: JsonToolsState, text: string): OutputPiece[] {
  const pushed = pushBody(s.body, text);
  const out = bodyPieces(s.calls, pushed.events);
  if (pushed.rest === undefined) return out;
  s.mode = 'after';
  return [...out, ...afterText(s, pushed.rest)];
}

function afterText(s: JsonToolsState, text: string): OutputPiece[] {
  // Separators between calls and the closing fence of a fenced call are not part of the answer.
  const t = text.replace(/^[\s;,`]+/, '');
  if (!t) return [];
  if (t.startsWith('{')) return startCall(s, t);
  s.mode = 'text';
  return textPiece(passText(s.text, t));
}

/** The one transition: a scanned token in, the pieces it completes out. */
export function jsonToolsStep(s: JsonToolsState, token: Token): OutputPiece[] {
  if (token.kind === 'marker') {
    if (token.marker === '<|python_tag|>' && (s.mode === 'start' || s.mode === 'after'))
      return startCall(s, '');
    return [];
  }
  switch (s.mode) {
    case 'start': {
      s.lead += token.text;
      const t = s.lead.trimStart();
      if (!t) return [];
      if (t[0] === '{' || t[0] === '`') return startCall(s, t);
      s.mode = 'text';
      return textPiece(passText(s.text, s.lead));
    }
    case 'text':
      return textPiece(passText(s.text, token.text));
    case 'call':
      return callText(s, token.text);
    case 'after':
      return afterText(s, token.text);
  }
}

export function jsonToolsEnd(s: JsonToolsState): OutputPiece[] {
  if (s.mode === 'call') {
    const { events, invalid } = endBody(s.body);
    return [...bodyPieces(s.calls, events), ...textPiece(invalid?.trim() ?? '')];
  }
  return s.mode === 'text' && s.calls.count === 0 ? textPiece(s.text.held) : [];
}

/**
 * Qwen / ChatML output (Hermes tool calls, §2): text, `<think>…</think>` reasoning (also when the prompt
 * opened `<think>` itself), and `<tool_call>\n{"name": …, "arguments": {…}}\n</tool_call>` blocks, several
 * in a row for parallel calls. A call opened inside reasoning ends the reasoning (Qwen3.5, §2.3).
 */
import { createCallBody, endBody, pushBody, type BodyEvent, type CallBody } from './json-call.js';
import {
  breakText,
  callArgs,
  createReasoningCallsState,
  createWsHold,
  openCall,
  passText,
  reasoningPiece,
  textPiece,
  type CallCounter,
  type OutputPiece,
  type ReasoningCallsState,
} from './emit.js';
import type { Token } from './scanner.js';

export const HERMES_MARKERS = ['<think>', '</think>', '<tool_call>', '</tool_call>'];

export interface HermesState extends ReasoningCallsState {
  mode: 'text' | 'think' | 'call';
  body: CallBody;
}

export function createHermesState(calls: CallCounter): HermesState {
  return {
    mode: 'text',
    ...createReasoningCallsState(calls),
    body: createCallBody(),
  };
}

export function bodyPieces(calls: CallCounter, events: BodyEvent[]): OutputPiece[] {
  const out: OutputPiece[] = [];
  for (const e of events)
    out.push(...(e.kind === 'open' ? openCall(calls, e.name) : callArgs(calls, e.text)));
  return out;
}

function closeCall(s: HermesState): OutputPiece[] {
  const { events, invalid } = endBody(s.body);
  s.mode = 'text';
  breakText(s.text);
  const out = bodyPieces(s.calls, events);
  return invalid === undefined ? out : [...out, ...textPiece(invalid.trim())];
}

function marker(s: HermesState, m: string): OutputPiece[] {
  switch (m) {
    case '<think>':
      if (s.mode === 'call') return [];
      s.mode = 'think';
      s.reasoning = createWsHold(true);
      return [];
    case '</think>':
      if (s.mode === 'think') s.mode = 'text';
      if (s.mode === 'text') breakText(s.text);
      return [];
    case '<tool_call>':
      if (s.mode === 'call') return closeCall(s);
      s.mode = 'call';
      s.body = createCallBody();
      s.text.held = '';
      return [];
    default:
      return s.mode === 'call' ? closeCall(s) : [];
  }
}

/** The one transition: a scanned token in, the pieces it completes out. */
export function hermesStep(s: HermesState, token: Token): OutputPiece[] {
  if (token.kind === 'marker') return marker(s, token.marker);
  switch (s.mode) {
    case 'text':
      return textPiece(passText(s.text, token.text));
    case 'think':
      return reasoningPiece(passText(s.reasoning, token.text));
    case 'call':
      return bodyPieces(s.calls, pushBody(s.body, token.text).events);
  }
}

export function hermesEnd(s: HermesState): OutputPiece[] {
  if (s.mode === 'call') return closeCall(s);
  if (s.mode === 'text' && s.calls.count === 0) return textPiece(s.text.held);
  return [];
}

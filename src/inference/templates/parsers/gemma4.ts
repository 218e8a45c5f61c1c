/**
 * Gemma 4 output (§3.2): text, `<|channel>thought\n…<channel|>` reasoning (the `thought` label stripped),
 * and `<|tool_call>call:NAME{k:<|"|>v<|"|>}<tool_call|>` calls, concatenated for parallel calls. A call's
 * arguments are converted to JSON when it closes, so they arrive as one fragment. A `<|tool_response>` the
 * model starts to invent after a call, or the end of its turn, ends the answer (Ollama does the same).
 */
import { gemmaToJson } from '../gemma-value.js';
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

export const GEMMA4_MARKERS = [
  '<|tool_call>',
  '<tool_call|>',
  '<|channel>',
  '<channel|>',
  '<|tool_response>',
  '<turn|>',
  '<|turn>',
];

export interface Gemma4State extends ReasoningCallsState {
  mode: 'text' | 'thought' | 'call' | 'drop';
  /** The start of a thought, until the `thought` label can be told apart. */
  label: string | undefined;
  call: string;
}

export function createGemma4State(calls: CallCounter): Gemma4State {
  return {
    mode: 'text',
    ...createReasoningCallsState(calls),
    label: undefined,
    call: '',
  };
}

function closeCall(s: Gemma4State): OutputPiece[] {
  s.mode = 'text';
  breakText(s.text);
  const m = /^\s*call:([^{\s]+)\s*(\{[\s\S]*)?$/.exec(s.call);
  if (!m) return textPiece(s.call.trim());
  const raw = m[2] ?? '{}';
  return [...openCall(s.calls, m[1] ?? ''), ...callArgs(s.calls, gemmaToJson(raw) ?? raw)];
}

function thought(s: Gemma4State, text: string): OutputPiece[] {
  if (s.label === undefined) return reasoningPiece(passText(s.reasoning, text));
  s.label += text;
  if (s.label.length < 8 && !s.label.includes('\n')) return [];
  const rest = s.label.replace(/^thought\b/, '');
  s.label = undefined;
  return reasoningPiece(passText(s.reasoning, rest));
}

function marker(s: Gemma4State, m: string): OutputPiece[] {
  if (s.mode === 'drop') return [];
  switch (m) {
    case '<|tool_call>':
      s.mode = 'call';
      s.call = '';
      s.text.held = '';
      return [];
    case '<tool_call|>':
      return s.mode === 'call' ? closeCall(s) : [];
    case '<|channel>':
      s.mode = 'thought';
      s.label = '';
      s.reasoning = createWsHold(true);
      return [];
    case '<channel|>':
      if (s.mode === 'thought') s.mode = 'text';
      breakText(s.text);
      return [];
    default: {
      const out = s.mode === 'call' ? closeCall(s) : [];
      s.mode = 'drop';
      return out;
    }
  }
}

/** The one transition: a scanned token in, the pieces it completes out. */
export function gemma4Step(s: Gemma4State, token: Token): OutputPiece[] {
  if (token.kind === 'marker') return marker(s, token.marker);
  switch (s.mode) {
    case 'text':
      return textPiece(passText(s.text, token.text));
    case 'thought':
      return thought(s, token.text);
    case 'call':
      s.call += token.text;
      return [];
    case 'drop':
      return [];
  }
}

export function gemma4End(s: Gemma4State): OutputPiece[] {
  if (s.mode === 'call') return closeCall(s);
  if (s.mode === 'thought' && s.label) return reasoningPiece(s.label.replace(/^thought\b/, '').trim());
  if (s.mode === 'text' && s.calls.count === 0) return textPiece(s.text.held);
  return [];
}

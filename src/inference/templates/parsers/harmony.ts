/**
 * gpt-oss output (harmony, §1): messages `<|start|>{header}<|message|>{content}<|end|>`, where the header
 * names the channel (`analysis` → reasoning, `final` / recipient-less `commentary` → text) and maybe a
 * recipient `to=functions.NAME` (a call whose content is the arguments' JSON). Messages end at `<|end|>`,
 * `<|call|>`, `<|return|>` or the end of the stream, since `<|call|>` and `<|return|>` are stop sequences a
 * router usually cuts. Built-in tool recipients (`browser.*`, `python`) are dropped.
 */
import { callArgs, openCall, reasoningPiece, textPiece, type CallCounter, type OutputPiece } from './emit.js';
import type { Token } from './scanner.js';

export const HARMONY_MARKERS = [
  '<|start|>',
  '<|end|>',
  '<|message|>',
  '<|channel|>',
  '<|constrain|>',
  '<|return|>',
  '<|call|>',
];

export interface HarmonyState {
  mode: 'between' | 'header' | 'body';
  header: string;
  target: 'text' | 'reasoning' | 'call' | 'drop';
  calls: CallCounter;
}

export function createHarmonyState(calls: CallCounter): HarmonyState {
  return { mode: 'between', header: '', target: 'drop', calls };
}

function openMessage(s: HarmonyState): OutputPiece[] {
  const channel = /<\|channel\|>\s*([^\s<]+)/.exec(s.header)?.[1] ?? 'final';
  const recipient = /to=([^\s<]+)/.exec(s.header)?.[1];
  s.mode = 'body';
  if (recipient === undefined || recipient === 'assistant' || recipient === 'user') {
    s.target = channel === 'analysis' ? 'reasoning' : 'text';
    return [];
  }
  if (!recipient.startsWith('functions.')) {
    s.target = 'drop';
    return [];
  }
  const out = openCall(s.calls, recipient.slice('functions.'.length));
  s.target = s.calls.accepting ? 'call' : 'drop';
  return out;
}

function body(s: HarmonyState, text: string): OutputPiece[] {
  switch (s.target) {
    case 'text':
      return textPiece(text);
    case 'reasoning':
      return reasoningPiece(text);
    case 'call':
      return callArgs(s.calls, text);
    case 'drop':
      return [];
  }
}

/** The one transition: a scanned token in, the pieces it completes out. */
export function harmonyStep(s: HarmonyState, token: Token): OutputPiece[] {
  if (token.kind === 'text') {
    if (s.mode === 'body') return body(s, token.text);
    s.mode = 'header';
    s.header += token.text;
    return [];
  }
  switch (token.marker) {
    case '<|start|>':
      s.mode = 'header';
      s.header = '';
      return [];
    case '<|channel|>':
    case '<|constrain|>':
      if (s.mode !== 'body') {
        s.mode = 'header';
        s.header += ` ${token.marker}`;
      }
      return [];
    case '<|message|>':
      return s.mode === 'body' ? [] : openMessage(s);
    default:
      s.mode = 'between';
      s.header = '';
      return [];
  }
}

/** A header never opened (a model that answered without harmony markup) is shown as text. */
export function harmonyEnd(s: HarmonyState): OutputPiece[] {
  if (s.mode !== 'header' || s.header.includes('<|channel|>')) return [];
  return textPiece(s.header.replace(/^\s*assistant\b/, '').trim());
}

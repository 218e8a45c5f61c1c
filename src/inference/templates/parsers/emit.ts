/**
 * What every family parser shares: the neutral pieces it yields, numbering calls (ids `call_…`, a cap for
 * `parallel_tool_calls: false` or `tool_choice: none`, names mapped back from the prompt's identifiers), and
 * a whitespace hold that keeps the blank lines around markup out of the answer.
 */
import { randomBytes } from 'node:crypto';
import type { StreamPiece } from '#src/inference/types.js';

export type OutputPiece = Exclude<StreamPiece, { type: 'end' }>;

export interface CallCounter {
  /** Prompt name → client's name. */
  names: ReadonlyMap<string, string>;
  /** Calls accepted at most (0 when tools are off: calls are parsed and dropped). */
  max: number;
  newId: () => string;
  /** Calls accepted so far. */
  count: number;
  /** Whether the call being read was accepted (its arguments are emitted). */
  accepting: boolean;
}

export function randomCallId(): string {
  return `call_${randomBytes(12).toString('base64url')}`;
}

export function createCallCounter(
  names: ReadonlyMap<string, string>,
  max: number,
  newId: () => string = randomCallId,
): CallCounter {
  return { names, max, newId, count: 0, accepting: false };
}

/** A call's name is known in full: its `tool_call` piece, or nothing when over the cap. */
export function openCall(c: CallCounter, shownName: string): OutputPiece[] {
  c.accepting = c.count < c.max;
  if (!c.accepting) return [];
  const index = c.count++;
  const name = c.names.get(shownName) ?? shownName;
  return [{ type: 'tool_call', index, id: c.newId(), name }];
}

export function callArgs(c: CallCounter, text: string): OutputPiece[] {
  return c.accepting && text ? [{ type: 'tool_call_args', index: c.count - 1, text }] : [];
}

/**
 * Holds trailing whitespace back until more text shows it was inside the answer; optionally drops leading
 * whitespace (after `</think>`, `</tool_call>`).
 */
export interface WsHold {
  held: string;
  trimStart: boolean;
}

export function createWsHold(trimStart = false): WsHold {
  return { held: '', trimStart };
}

const isSpace = (code: number) => code === 32 || code === 10 || code === 9 || code === 13;

export function passText(h: WsHold, text: string): string {
  // The common case, a word of an answer: nothing held, nothing to trim, no whitespace at the end.
  if (!h.held && !h.trimStart && text && !isSpace(text.charCodeAt(text.length - 1))) return text;
  let t = text;
  if (h.trimStart) {
    t = t.trimStart();
    if (!t) return '';
    h.trimStart = false;
  }
  const full = h.held + t;
  let end = full.length;
  while (end > 0 && (isSpace(full.charCodeAt(end - 1)) || /\s/.test(full.charAt(end - 1)))) end--;
  h.held = full.slice(end);
  return full.slice(0, end);
}

/** A segment ended: whatever whitespace was held is dropped, and the next segment starts trimmed. */
export function breakText(h: WsHold): void {
  h.held = '';
  h.trimStart = true;
}

/** What a parser for a family that reasons and calls tools keeps besides its mode (gemma4, hermes). */
export interface ReasoningCallsState {
  text: WsHold;
  /** Its leading whitespace dropped: reasoning starts right after its opening marker. */
  reasoning: WsHold;
  calls: CallCounter;
}

export function createReasoningCallsState(calls: CallCounter): ReasoningCallsState {
  return { text: createWsHold(), reasoning: createWsHold(true), calls };
}

export function textPiece(text: string): OutputPiece[] {
  return text ? [{ type: 'text', text }] : [];
}

export function reasoningPiece(text: string): OutputPiece[] {
  return text ? [{ type: 'reasoning', text }] : [];
}

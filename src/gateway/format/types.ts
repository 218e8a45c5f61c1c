/**
 * Response formats: each wire format (OpenAI chat, OpenAI text completion, Anthropic messages) is a pure
 * function for the whole answer and a stream encoder that turns pieces into SSE frames. No I/O here.
 */
import type { Completion, FinishReason, StreamPiece } from '#src/inference/types.js';
import type { PortalError } from '#src/platform/http/errors.js';

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface AnswerMeta {
  /** Response id (chatcmpl-…, cmpl-…, msg_…). */
  id: string;
  /** The product model name the client asked for. */
  model: string;
  created: number;
}

/** What a whole answer is made of (a completion without its route and usage). */
export type Answer = Pick<Completion, 'text' | 'reasoning' | 'toolCalls' | 'finishReason'>;

/**
 * Turns stream pieces into SSE frames. Encoders for tool calls and reasoning keep their own small state (which
 * call is which index, which content block is open); the text path stays one template call per token.
 */
export interface StreamEncoder {
  /** Frames sent as soon as the upstream accepted the request. */
  start(inputTokens: number): string;
  text(text: string): string;
  /** Reasoning text; '' when the format (or the request) does not take it. */
  reasoning(text: string): string;
  /** The start of a call: `index` is the neutral stream index, `id` the neutral call id. */
  toolCall(index: number, id: string, name: string): string;
  /** A fragment of a call's arguments JSON. */
  toolCallArgs(index: number, text: string): string;
  end(finish: FinishReason, usage: TokenUsage): string;
  /** An error event after the stream started, then the stream's terminator. */
  error(err: PortalError): string;
  keepAlive(): string;
}

/**
 * The frame for one piece other than the end (which needs the counted usage). respond.ts writes plain text
 * through `encoder.text` directly and comes here for reasoning and tool-call pieces; the encoders' tests use
 * it too, so they encode streams exactly as the gateway does.
 */
export function pieceFrame(encoder: StreamEncoder, piece: Exclude<StreamPiece, { type: 'end' }>): string {
  switch (piece.type) {
    case 'text':
      return encoder.text(piece.text);
    case 'reasoning':
      return encoder.reasoning(piece.text);
    case 'tool_call':
      return encoder.toolCall(piece.index, piece.id, piece.name);
    case 'tool_call_args':
      return encoder.toolCallArgs(piece.index, piece.text);
  }
}

export const sse = (data: unknown, event?: string): string =>
  `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

const SLOT = '\u0000slot\u0000';
const QUOTED_SLOT = JSON.stringify(SLOT);

/**
 * SSE frames that differ only in one string (the text of a token event): the event is serialised once around a
 * marker, then each frame is prefix + JSON.stringify(text) + suffix — byte for byte what `sse(build(text))` gives,
 * without building and serialising the whole object per token.
 */
export function sseTemplate(build: (slot: string) => unknown, event?: string): (text: string) => string {
  const whole = sse(build(SLOT), event);
  const at = whole.indexOf(QUOTED_SLOT);
  const prefix = whole.slice(0, at);
  const suffix = whole.slice(at + QUOTED_SLOT.length);
  return (text) => prefix + JSON.stringify(text) + suffix;
}

/**
 * Response formats: each wire format (OpenAI chat, OpenAI text completion, Anthropic messages) is a pure
 * function for the whole answer and a stream encoder that turns pieces into SSE frames. No I/O here.
 */
import type { FinishReason } from '../../inference/types.js';
import type { PortalError } from '../../platform/http/errors.js';

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

export interface StreamEncoder {
  /** Frames sent as soon as the upstream accepted the request. */
  start(inputTokens: number): string;
  text(text: string): string;
  end(finish: FinishReason, usage: TokenUsage): string;
  /** An error event after the stream started, then the stream's terminator. */
  error(err: PortalError): string;
  keepAlive(): string;
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

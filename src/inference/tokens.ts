/**
 * Local token counting, used when an upstream reports no usage and by the gateway for admission. One real
 * BPE tokenizer (o200k, gpt-oss's own vocabulary) for every model: the counts are close for the other
 * families and, above all, the same on every instance. Special-token strings in user text count as text.
 */
import { countTokens as countBpe } from 'gpt-tokenizer';
import type { ChatMessage } from './types.js';

const asText = { disallowedSpecial: new Set<string>() };

/** Tokens in a piece of text. `countTokens('Hello world') === 2` */
export function countTokens(text: string): number {
  return text ? countBpe(text, asText) : 0;
}

/** Per-message framing overhead, as chat templates add role markers around each message. */
const PER_MESSAGE = 4;
/** The assistant turn the template opens for the answer. */
const REPLY_PRIMING = 3;

/** Tokens a chat request costs as a prompt: content plus the template's framing. */
export function countChatTokens(messages: readonly ChatMessage[]): number {
  let total = REPLY_PRIMING;
  for (const m of messages)
    total += PER_MESSAGE + countTokens(m.content) + (m.name ? countTokens(m.name) : 0);
  return total;
}

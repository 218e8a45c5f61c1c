/**
 * Local token counting, used when an upstream reports no usage and by the gateway for admission. One real
 * BPE tokenizer (o200k, gpt-oss's own vocabulary) for every model: the counts are close for the other
 * families and, above all, the same on every instance. Special-token strings in user text count as text.
 *
 * The counter is bpe.ts (o200k's ranks in typed arrays: ~5 MB instead of gpt-tokenizer's 67 MB of heap).
 * Linear in the text: a byte-pair merge of each pre-token (a run the o200k split pattern keeps whole) takes
 * time quadratic in its length, so a long run without spaces (random letters, CJK, one repeated character)
 * would take seconds per 100 KB. The text is fed to it in pieces cut only where the split pattern itself has a
 * boundary — the count is then exactly the whole text's — and a run with no such boundary is cut every
 * MAX_RUN characters (a count within a token per cut of the exact one: such runs are rare in prompts, e.g. a
 * markdown table rule of more than 128 dashes).
 * `countTokensWithin` stops as soon as a limit is passed; `countTokensAsync` also yields to the event loop
 * between slices, so a long prompt never holds other requests (docs/decisions/009-gateway-abuse-bounds.md).
 */
import { countO200k } from './bpe.js';
import type { ChatMessage } from './types.js';

/** Longest run handed to the tokenizer without a pattern boundary (bounds one merge at ~128² steps). */
export const MAX_RUN = 128;
/** Characters counted between limit checks (and between yields in the async counter). */
const SLICE = 16_384;

// Character classes of the o200k split pattern that decide where a cut is exact.
const WS = 1; // whitespace other than \r \n
const NL = 2; // \r \n
const LETTER = 3; // \p{L}
const DIGIT = 4; // \p{N}
const MARK = 5; // \p{M}, the apostrophe (contractions), surrogates: never cut before one
const OTHER = 6; // punctuation and symbols

const classes = new Uint8Array(65_536);
function classOf(code: number): number {
  let c = classes[code] ?? 0; // code < 65,536 always: `?? 0` only satisfies the index type
  if (c === 0) {
    const ch = String.fromCharCode(code);
    c =
      code === 10 || code === 13
        ? NL
        : code === 39 || (code >= 0xd800 && code <= 0xdfff) || /\p{M}/u.test(ch)
          ? MARK
          : /\s/u.test(ch)
            ? WS
            : /\p{L}/u.test(ch)
              ? LETTER
              : /\p{N}/u.test(ch)
                ? DIGIT
                : OTHER;
    classes[code] = c;
  }
  return c;
}

/**
 * Whether the o200k split pattern has a pre-token boundary before `cur` that does not depend on what
 * follows: before whitespace after a non-space (no pattern continues a non-space with a space or tab), before
 * a newline after a letter or digit (only punctuation absorbs a newline), and between letters or digits and
 * punctuation, or letters and digits (no pattern spans those). Never before a mark, an apostrophe or half of a
 * surrogate pair. Checked against whole-text counts in tokens.test.ts.
 */
function exactCut(prev: number, cur: number): boolean {
  if (cur === WS) return prev !== WS && prev !== NL;
  if (cur === NL) return prev === LETTER || prev === DIGIT;
  if (prev === LETTER) return cur === OTHER || cur === DIGIT;
  if (prev === DIGIT) return cur === OTHER || cur === LETTER;
  return false;
}

/**
 * Counts `text` slice by slice; `onSlice(total)` returns true to stop (the partial total is returned).
 * Slices end at exact cuts; runs longer than MAX_RUN without one are cut where they reach it.
 */
function countSlices(text: string, onSlice: (total: number) => boolean): number {
  const n = text.length;
  if (n <= MAX_RUN) return n ? countO200k(text) : 0;
  let total = 0;
  let start = 0; // start of the slice being built
  let lastCut = 0; // last exact cut (or forced cut) at or after `start`
  let prev = classOf(text.charCodeAt(0));
  const flush = (end: number) => {
    total += countO200k(text.slice(start, end));
    start = end;
    return onSlice(total);
  };
  for (let i = 1; i < n; i++) {
    const code = text.charCodeAt(i);
    const cur = classes[code] || classOf(code);
    if (exactCut(prev, cur)) {
      lastCut = i;
      if (i - start >= SLICE && flush(i)) return total;
    } else if (i - lastCut >= MAX_RUN && (code < 0xdc00 || code > 0xdfff)) {
      // A run with no boundary: cut it here (never between the halves of a surrogate pair).
      lastCut = i;
      if (flush(i)) return total;
    }
    prev = cur;
  }
  if (start < n) total += countO200k(text.slice(start));
  return total;
}

/** Tokens in a piece of text. `countTokens('Hello world') === 2` */
export function countTokens(text: string): number {
  return text ? countSlices(text, () => false) : 0;
}

/** Tokens in `text`, or some number above `limit` as soon as the count passes it (the rest is not read). */
export function countTokensWithin(text: string, limit: number): number {
  return text ? countSlices(text, (total) => total > limit) : 0;
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

/** What a prompt is made of: chat messages, or one legacy completion prompt. */
export interface PromptInput {
  messages?: readonly ChatMessage[];
  prompt?: string;
}

/** Characters of a prompt's text (content and names), the input of the cheap length bound. */
export function promptChars(input: PromptInput): number {
  if (!input.messages) return input.prompt?.length ?? 0;
  let chars = 0;
  for (const m of input.messages) chars += m.content.length + (m.name?.length ?? 0);
  return chars;
}

/** Tokens a prompt costs (chat framing included), counted synchronously: for prompts known to be small. */
export function countPromptTokens(input: PromptInput): number {
  return input.messages ? countChatTokens(input.messages) : countTokens(input.prompt ?? '');
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Tokens a prompt costs, or some number above `limit` once it passes it. Yields to the event loop after
 * every SLICE characters of counting, so other requests (and /healthz) are served in between.
 *
 * @example await countPromptTokensAsync({ prompt: longText }, 131_071) // > 131_071 when too long
 */
export async function countPromptTokensAsync(input: PromptInput, limit: number): Promise<number> {
  const texts = input.messages
    ? input.messages.flatMap((m) => (m.name ? [m.content, m.name] : [m.content]))
    : [input.prompt ?? ''];
  let total = input.messages ? REPLY_PRIMING + PER_MESSAGE * input.messages.length : 0;
  let sinceYield = 0;
  for (const text of texts) {
    if (total > limit) return total;
    if (sinceYield + text.length > SLICE) {
      await nextTurn();
      sinceYield = 0;
    }
    if (text.length <= SLICE) {
      total += countTokensWithin(text, limit - total);
      sinceYield += text.length;
      continue;
    }
    // A long text: count it slice by slice, yielding between slices.
    for (let start = 0; start < text.length && total <= limit;) {
      const end = sliceEnd(text, start);
      total += countTokensWithin(text.slice(start, end), limit - total);
      start = end;
      if (start < text.length) await nextTurn();
    }
  }
  return total;
}

/** End of the slice starting at `start`: the last exact cut within SLICE characters (or a forced one). */
function sliceEnd(text: string, start: number): number {
  const hardEnd = Math.min(text.length, start + SLICE);
  if (hardEnd === text.length) return hardEnd;
  for (let i = hardEnd; i > start + 1 && hardEnd - i < MAX_RUN; i--)
    if (exactCut(classOf(text.charCodeAt(i - 1)), classOf(text.charCodeAt(i)))) return i;
  const code = text.charCodeAt(hardEnd);
  return code >= 0xdc00 && code <= 0xdfff ? hardEnd + 1 : hardEnd;
}

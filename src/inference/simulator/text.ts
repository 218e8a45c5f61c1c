/**
 * Deterministic text that reads like text: a seeded generator of sentences from a small vocabulary, cut
 * into token-sized pieces counted with the real tokenizer, so `max_tokens`, usage and streaming behave as
 * they would upstream. Piece token counts are cached: the vocabulary is finite, so generation is cheap.
 */
import { countTokens } from '../tokens.js';

const WORDS = (
  'the a model router answer request token stream session miner network node pool latency result ' +
  'quickly carefully system user value data question system reliable open simple small large first ' +
  'next every each time work runs returns sends keeps takes makes gives shows finds reads writes ' +
  'because while when after before with without across through into over under about between ' +
  'portal cortensor inference gateway cluster health check weight limit window budget key signal ' +
  'clear steady honest useful stable careful modern quiet bright fair good new old other same'
).split(' ');

const CLOSERS = ['.', '.', '.', ',', '?', '!', ';'];

/** mulberry32: small, fast, good enough for text. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit FNV-1a hash, to derive a seed from a prompt. */
/** The list starting at `first` and wrapping around: [c, d, a, b] for first = 2. */
export function rotated<T>(list: readonly T[], first: number): T[] {
  const at = list.length ? first % list.length : 0;
  return [...list.slice(at), ...list.slice(0, at)];
}

export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const tokenCache = new Map<string, number>();
function pieceTokens(piece: string): number {
  let n = tokenCache.get(piece);
  if (n === undefined) {
    n = countTokens(piece);
    if (tokenCache.size < 10_000) tokenCache.set(piece, n);
  }
  return n;
}

export interface GeneratedText {
  /** The answer in stream-sized pieces (about one token each). */
  pieces: string[];
  tokens: number;
  finishReason: 'stop' | 'length';
}

/**
 * Generates up to `maxTokens` tokens (the answer ends by itself at `targetTokens`), cut at the first stop
 * sequence. Same seed, same text.
 */
const generated = new Map<string, GeneratedText>();
const GENERATED_CACHE = 2_000;

/** generateText, memoised: benchmarks send the same prompts over and over. */
export function cachedText(options: Parameters<typeof generateText>[0]): GeneratedText {
  const key = `${options.seed}|${options.targetTokens}|${options.maxTokens}|${(options.stop ?? []).join('\u0000')}`;
  let text = generated.get(key);
  if (!text) {
    text = generateText(options);
    if (generated.size >= GENERATED_CACHE) generated.clear();
    generated.set(key, text);
  }
  return text;
}

export function generateText(options: {
  seed: number;
  targetTokens: number;
  maxTokens: number;
  stop?: string[];
}): GeneratedText {
  const random = createRandom(options.seed);
  const limit = Math.min(options.targetTokens, options.maxTokens);
  const pieces: string[] = [];
  let tokens = 0;
  let text = '';
  let sentenceStart = true;
  let wordsInSentence = 0;
  while (true) {
    let word = WORDS[Math.floor(random() * WORDS.length)] ?? 'the';
    if (sentenceStart) word = word.charAt(0).toUpperCase() + word.slice(1);
    wordsInSentence++;
    const endSentence = wordsInSentence > 4 && random() < 0.18;
    const closer = endSentence ? (CLOSERS[Math.floor(random() * CLOSERS.length)] ?? '.') : '';
    const piece = `${pieces.length ? ' ' : ''}${word}${closer}`;
    const cost = pieceTokens(piece);
    if (tokens + cost > limit) break;
    const stopAt = firstStop(text + piece, options.stop ?? [], text.length);
    if (stopAt !== -1) {
      const kept = (text + piece).slice(text.length, stopAt);
      if (kept) pieces.push(kept);
      return { pieces, tokens: tokens + (kept ? pieceTokens(kept) : 0), finishReason: 'stop' };
    }
    pieces.push(piece);
    text += piece;
    tokens += cost;
    sentenceStart = closer !== '' && closer !== ',' && closer !== ';';
    if (sentenceStart) wordsInSentence = 0;
  }
  return { pieces, tokens, finishReason: limit < options.targetTokens ? 'length' : 'stop' };
}

/** Where the first stop sequence that ends after `from` begins, or -1. */
function firstStop(text: string, stops: string[], from: number): number {
  let best = -1;
  for (const s of stops) {
    if (!s) continue;
    const at = text.indexOf(s, Math.max(0, from - s.length + 1));
    if (at !== -1 && (best === -1 || at < best)) best = at;
  }
  return best;
}

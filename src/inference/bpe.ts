/**
 * The o200k byte-pair encoding (gpt-oss's vocabulary), counting only, held in typed arrays.
 *
 * The ranks come from tiktoken's rank file as gpt-tokenizer ships it (`gpt-tokenizer/data/o200k_base.tiktoken`:
 * one `base64(token bytes) rank` line per token, ranks 0…199,997 in order). gpt-tokenizer's own encoder keeps
 * those 200,000 tokens as JavaScript strings in an array and in a Map — 67 MB of heap in every Portal process,
 * measured (docs/benchmarks.md, "Embedded memory and start"). Here they are one byte buffer, an offset per rank
 * and an open-addressing hash table of ranks keyed by the bytes: about 5 MB, built once at import in ~100 ms.
 *
 * The algorithm is tiktoken's: split the text with the o200k pattern; a piece that is itself a token counts 1;
 * any other piece is merged from its UTF-8 bytes, always merging the adjacent pair whose bytes form the
 * lowest-ranked token, until no pair is a token. Special-token strings are plain text (Portal never lets user
 * text produce a control token). Property-tested against gpt-tokenizer in bpe.test.ts.
 *
 * A piece's merge is quadratic in its length; callers bound piece length (tokens.ts cuts runs at MAX_RUN).
 * Typed-array reads below are always in bounds: their `?? x` fallbacks only satisfy the index type.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** tiktoken's o200k split pattern (the same one gpt-tokenizer and tiktoken use). */
const CONTRACTION = String.raw`(?:'(?:[sS]|[dD]|[mM]|[tT]|[lL][lL]|[vV][eE]|[rR][eE]))?`;
const SPLIT = new RegExp(
  String.raw`[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+${CONTRACTION}` +
    String.raw`|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*${CONTRACTION}` +
    String.raw`|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+`,
  'gu',
);

/** The vocabulary: token bytes back to back, where rank r's are `bytes[offsets[r] … offsets[r + 1])`. */
interface Vocabulary {
  bytes: Uint8Array;
  offsets: Uint32Array;
  /** Open addressing, linear probing: a rank, or -1 for an empty slot. Size a power of two. */
  table: Int32Array;
}

const BASE64 = new Int8Array(256).fill(-1);
for (const [i, ch] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].entries())
  BASE64[ch.charCodeAt(0)] = i;

/** FNV-1a over `buf[start … end)`. */
function hashOf(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ (buf[i] ?? 0), 0x01000193);
  return h >>> 0;
}

/**
 * Parses a tiktoken rank file. Throws on anything unexpected (a rank out of order, bad base64): the file is
 * part of the installed package, so a change in it must stop the start, not miscount quietly.
 */
export function parseRanks(raw: Uint8Array): Vocabulary {
  let lines = 0;
  for (let i = 0; i < raw.length; i++) if (raw[i] === 10) lines++;
  if (raw.length && raw[raw.length - 1] !== 10) lines++;
  const bytes = new Uint8Array(Math.ceil((raw.length * 3) / 4));
  const offsets = new Uint32Array(lines + 1);
  let written = 0;
  let rank = 0;
  let i = 0;
  while (i < raw.length) {
    // base64 up to the space, then the decimal rank up to the newline.
    let bits = 0;
    let nbits = 0;
    for (; i < raw.length && raw[i] !== 32; i++) {
      const c = raw[i] ?? 0;
      if (c === 61) continue; // '=' padding
      const v = BASE64[c] ?? -1;
      if (v < 0) throw new Error(`o200k ranks: bad base64 on line ${rank + 1}`);
      bits = (bits << 6) | v;
      nbits += 6;
      if (nbits >= 8) {
        nbits -= 8;
        bytes[written++] = (bits >> nbits) & 0xff;
      }
    }
    let value = 0;
    let digits = 0;
    for (i++; i < raw.length && raw[i] !== 10; i++, digits++) value = value * 10 + (raw[i] ?? 0) - 48;
    i++;
    if (digits === 0 || value !== rank) throw new Error(`o200k ranks: line ${rank + 1} has rank ${value}`);
    offsets[++rank] = written;
  }
  const vocabulary = {
    bytes: bytes.slice(0, written),
    offsets: offsets.subarray(0, rank + 1),
    table: new Int32Array(0),
  };
  let size = 1;
  while (size < rank * 2.5) size <<= 1; // load ≤ 0.4
  const table = new Int32Array(size).fill(-1);
  for (let r = 0; r < rank; r++) {
    let slot =
      hashOf(vocabulary.bytes, vocabulary.offsets[r] ?? 0, vocabulary.offsets[r + 1] ?? 0) & (size - 1);
    while (table[slot] !== -1) slot = (slot + 1) & (size - 1);
    table[slot] = r;
  }
  vocabulary.table = table;
  return vocabulary;
}

const { bytes, offsets, table } = parseRanks(
  readFileSync(createRequire(import.meta.url).resolve('gpt-tokenizer/data/o200k_base.tiktoken')),
);
const MASK = table.length - 1;
/** How many tokens the vocabulary has (ranks 0 … VOCABULARY_SIZE − 1). */
export const VOCABULARY_SIZE = offsets.length - 1;
const NONE = 0x7fffffff;

/** The rank of the token whose bytes are `buf[start … end)`, or NONE. */
function rankOf(buf: Uint8Array, start: number, end: number): number {
  const length = end - start;
  let slot = hashOf(buf, start, end) & MASK;
  for (let r = table[slot] ?? -1; r !== -1; slot = (slot + 1) & MASK, r = table[slot] ?? -1) {
    const at = offsets[r] ?? 0;
    if ((offsets[r + 1] ?? 0) - at !== length) continue;
    let i = 0;
    while (i < length && bytes[at + i] === buf[start + i]) i++;
    if (i === length) return r;
  }
  return NONE;
}

let scratch = new Uint8Array(1024);
let starts = new Int32Array(1024);
let ranks = new Int32Array(1024);

/**
 * Writes `piece` as UTF-8 into `scratch` (a lone surrogate as U+FFFD, as TextEncoder does); returns the length.
 * By hand rather than `TextEncoder.encodeInto`: pieces are a few characters, and the native call cost prose,
 * code and chat counting 10–20 % more µs/KB in `bench/tokens.ts` (three runs, 2026-12-02 09:25).
 */
function utf8(piece: string): number {
  if (scratch.length < piece.length * 3) scratch = new Uint8Array(piece.length * 3);
  let n = 0;
  for (let i = 0; i < piece.length; i++) {
    let c = piece.charCodeAt(i);
    if (c < 0x80) scratch[n++] = c;
    else if (c < 0x800) {
      scratch[n++] = 0xc0 | (c >> 6);
      scratch[n++] = 0x80 | (c & 63);
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = piece.charCodeAt(i + 1);
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          i++;
          scratch[n++] = 0xf0 | (c >> 18);
          scratch[n++] = 0x80 | ((c >> 12) & 63);
          scratch[n++] = 0x80 | ((c >> 6) & 63);
          scratch[n++] = 0x80 | (c & 63);
          continue;
        }
        c = 0xfffd;
      }
      scratch[n++] = 0xe0 | (c >> 12);
      scratch[n++] = 0x80 | ((c >> 6) & 63);
      scratch[n++] = 0x80 | (c & 63);
    }
  }
  return n;
}

/** Tokens the byte-pair merge makes of `scratch[0 … n)` (tiktoken's merge: lowest-ranked pair first). */
function mergeCount(n: number): number {
  if (starts.length <= n) {
    starts = new Int32Array(n + 1);
    ranks = new Int32Array(n + 1);
  }
  // Part i is scratch[starts[i] … starts[i + 1]); ranks[i] is the rank of parts i and i + 1 joined.
  let parts = n;
  for (let i = 0; i <= n; i++) starts[i] = i;
  for (let i = 0; i < n - 1; i++) ranks[i] = rankOf(scratch, i, i + 2);
  ranks[n - 1] = NONE;
  while (parts > 1) {
    let lowest = NONE;
    let at = -1;
    for (let i = 0; i < parts - 1; i++)
      if ((ranks[i] ?? NONE) < lowest) {
        lowest = ranks[i] ?? NONE;
        at = i;
      }
    if (at < 0) break;
    // Join parts at and at + 1: drop the boundary at + 1.
    starts.copyWithin(at + 1, at + 2, parts + 1);
    ranks.copyWithin(at, at + 1, parts);
    parts--;
    ranks[at] = at + 1 < parts ? rankOf(scratch, starts[at] ?? 0, starts[at + 2] ?? 0) : NONE;
    if (at > 0) ranks[at - 1] = rankOf(scratch, starts[at - 1] ?? 0, starts[at + 1] ?? 0);
  }
  return parts;
}

/** Tokens in `text` under o200k, special-token strings as text. `countO200k('Hello world') === 2` */
export function countO200k(text: string): number {
  let count = 0;
  SPLIT.lastIndex = 0;
  for (let m = SPLIT.exec(text); m !== null; m = SPLIT.exec(text)) {
    const n = utf8(m[0]);
    count += n === 1 || rankOf(scratch, 0, n) !== NONE ? 1 : mergeCount(n);
  }
  return count;
}

import { readFileSync } from 'node:fs';
import { countTokens as reference } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import { countO200k, parseRanks, VOCABULARY_SIZE } from './bpe.js';

const asText = { disallowedSpecial: new Set<string>() };
const encoder = new TextEncoder();

/** A deterministic generator, so a failure names a seed that reproduces it. */
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** Code points from ranges where the split pattern and the merge both have work to do. */
const RANGES: [number, number][] = [
  [0x20, 0x7e], // ASCII printable
  [0x09, 0x0d], // tab, newlines
  [0xc0, 0x24f], // Latin with diacritics
  [0x300, 0x36f], // combining marks
  [0x391, 0x3c9], // Greek
  [0x410, 0x44f], // Cyrillic
  [0x600, 0x6ff], // Arabic
  [0x900, 0x97f], // Devanagari
  [0x3040, 0x30ff], // kana
  [0x4e00, 0x4fff], // CJK
  [0xac00, 0xad00], // Hangul
  [0x2000, 0x206f], // punctuation, odd spaces
  [0x1f300, 0x1f6ff], // emoji (surrogate pairs)
  [0xd800, 0xdfff], // lone surrogates
  [0x660, 0x669], // Arabic-Indic digits
];

function randomText(next: () => number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    // Mostly ASCII words, so whole-piece hits and merges both happen.
    const [lo, hi] = next() < 0.6 ? RANGES[0]! : RANGES[Math.floor(next() * RANGES.length)]!;
    const code = lo + Math.floor(next() * (hi - lo + 1));
    out += code >= 0xd800 && code <= 0xdfff ? String.fromCharCode(code) : String.fromCodePoint(code);
  }
  return out;
}

describe('o200k counter (typed arrays)', () => {
  it('holds the whole vocabulary', () => {
    expect(VOCABULARY_SIZE).toBe(199_998);
  });

  it('counts like gpt-tokenizer on real files', () => {
    for (const file of [
      'README.md',
      'docs/benchmarks.md',
      'src/gateway/respond.ts',
      'migrations/0000_init.sql',
    ]) {
      // Whole lines, so no piece is long enough to make the reference slow.
      for (const chunk of readFileSync(file, 'utf8').split(/(?<=\n)/))
        expect(countO200k(chunk)).toBe(reference(chunk, asText));
    }
  });

  it('counts like gpt-tokenizer on random text of every script, lone surrogates included', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const next = random(seed);
      const text = randomText(next, 1 + Math.floor(next() * 200));
      const got = countO200k(text);
      const want = reference(text, asText);
      if (got !== want) throw new Error(`seed ${seed}: ${got} ≠ ${want} for ${JSON.stringify(text)}`);
    }
  });

  it('counts special-token strings, contractions and edge cases as text, like gpt-tokenizer', () => {
    for (const text of [
      '',
      ' ',
      '\n',
      'a',
      '<|endoftext|>',
      '<|im_start|>user<|im_end|>',
      '<|start|>assistant<|channel|>final<|message|>hi<|end|>',
      "I'LL we'Re they've don't",
      '1234567890 ١٢٣٤',
      '\r\n\r\n  \t x',
      '😀👍🏽\u200d❤️',
      '\ud800 \udc00x\ud83d',
      'x'.repeat(128),
      'ab'.repeat(64),
      'https://example.com/path?query=1&b=2',
    ])
      expect(countO200k(text), JSON.stringify(text)).toBe(reference(text, asText));
  });

  it('counts every 97th vocabulary token (the ones that are valid UTF-8) as gpt-tokenizer does', () => {
    // Each token's own text, a piece the split pattern may cut further; sampled so the test stays quick.
    const { bytes, offsets } = parseRanks(
      readFileSync(new URL(import.meta.resolve('gpt-tokenizer/data/o200k_base.tiktoken'))),
    );
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let checked = 0;
    for (let r = 0; r < VOCABULARY_SIZE; r += 97) {
      let text: string;
      try {
        text = decoder.decode(bytes.subarray(offsets[r]!, offsets[r + 1]!));
      } catch {
        continue;
      }
      expect(countO200k(text)).toBe(reference(text, asText));
      checked++;
    }
    expect(checked).toBeGreaterThan(1500);
  });

  it('refuses a rank file that is out of order or not base64', () => {
    expect(() => parseRanks(encoder.encode('YQ== 0\nYg== 2\n'))).toThrow(/rank 2/);
    expect(() => parseRanks(encoder.encode('Y!== 0\n'))).toThrow(/bad base64/);
    expect(() => parseRanks(encoder.encode('YQ== \n'))).toThrow(/rank/);
    const tiny = parseRanks(encoder.encode('YQ== 0\nYg== 1\nYWI= 2\n'));
    expect([...tiny.offsets]).toEqual([0, 1, 2, 4]);
    expect([...tiny.bytes]).toEqual([97, 98, 97, 98]);
  });
});

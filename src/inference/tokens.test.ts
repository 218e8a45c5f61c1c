import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { countTokens as wholeText } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import {
  countChatTokens,
  countPromptTokensAsync,
  countTokens,
  countTokensWithin,
  promptChars,
  MAX_RUN,
} from './tokens.js';

const asText = { disallowedSpecial: new Set<string>() };

/** Ordinary text of every kind this repository has: prose, code, JSON, SQL, with and without long lines. */
function corpus(): string[] {
  const files = [
    'docs/benchmarks.md',
    'README.md',
    'package-lock.json',
    'migrations/0000_init.sql',
    'src/gateway/respond.ts',
    'node_modules/hono/dist/hono-base.js',
    'node_modules/zod/package.json',
  ];
  const texts = files.map((f) => readFileSync(f, 'utf8'));
  const dist = 'node_modules/gpt-tokenizer/esm';
  for (const f of readdirSync(dist)
    .filter((n) => n.endsWith('.js'))
    .slice(0, 8))
    texts.push(readFileSync(join(dist, f), 'utf8'));
  texts.push(
    '日本語のテキスト、句読点あり。中文文本，没有空格但有标点。한국어 텍스트도 있습니다. Ünïcödé façade — “quotes” … 😀👍🏽 x²',
    'https://example.com/a/b?c=d&e=f#g data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    "it's they're we've I'M don't\tTab\r\nCRLF\n\n\n   indented\n\t\tcode();",
  );
  return texts;
}

describe('token counting', () => {
  it('counts text with the o200k tokenizer, special-token strings as plain text', () => {
    expect(countTokens('')).toBe(0);
    expect(countTokens('Hello world')).toBe(2);
    expect(countTokens('<|im_start|>user')).toBeGreaterThan(2);
  });

  it('adds per-message framing to chat prompts', () => {
    const one = countChatTokens([{ role: 'user', content: 'Hello world' }]);
    expect(one).toBe(2 + 4 + 3);
    expect(
      countChatTokens([
        { role: 'user', content: 'Hello world' },
        { role: 'assistant', content: 'Hello world' },
      ]),
    ).toBe(one + 6);
  });

  /**
   * Where the count may differ: a run of more than MAX_RUN characters with no exact cut (a long markdown rule,
   * a wall of spaces) is cut where it reaches MAX_RUN, which may merge differently by a token at each cut.
   */
  function forcedCuts(text: string): number {
    const runs = /[^\s\p{L}\p{N}]+|[\p{L}\p{M}]+|\p{N}+|[ \t]+|[\r\n]+/gu;
    let cuts = 0;
    for (const [run] of text.matchAll(runs)) cuts += Math.floor((run.length - 1) / MAX_RUN);
    return cuts;
  }

  it('counts ordinary text exactly as the whole-text tokenizer does, long texts included', () => {
    const texts = [...corpus(), corpus().join('\n').repeat(3)];
    for (const text of texts) {
      const slack = forcedCuts(text);
      const diff = Math.abs(countTokens(text) - wholeText(text, asText));
      if (slack === 0) expect(diff).toBe(0);
      else expect(diff).toBeLessThanOrEqual(slack);
    }
    expect(texts.filter((t) => forcedCuts(t) === 0).length).toBeGreaterThan(10);
  });

  it('is off by at most a token per forced cut in a long run without a boundary (a markdown rule)', () => {
    const rule = `| ${'-'.repeat(40)} | ${'-'.repeat(211)} |\n`;
    expect(forcedCuts(rule)).toBe(1);
    expect(Math.abs(countTokens(rule) - wholeText(rule, asText))).toBeLessThanOrEqual(1);
  });

  it('counts a long run without spaces in linear time, close to the exact count', () => {
    const run = 'abcdefghij'.repeat(2_000); // one pre-token of 20,000 letters: quadratic as one piece
    const started = performance.now();
    const counted = countTokens(run.repeat(10));
    expect(performance.now() - started).toBeLessThan(2_000);
    const exact = wholeText(run, asText) * 10;
    expect(Math.abs(counted - exact) / exact).toBeLessThan(0.05);
  });

  it('stops counting once past the limit', () => {
    const text = 'word '.repeat(100_000);
    expect(countTokensWithin(text, 1_000)).toBeGreaterThan(1_000);
    expect(countTokensWithin(text, 1_000)).toBeLessThan(40_000);
    expect(countTokensWithin('Hello world', 10)).toBe(2);
  });

  it('counts prompts asynchronously with the same result, chat framing included', async () => {
    const messages = corpus().map((content) => ({ role: 'user' as const, content }));
    expect(await countPromptTokensAsync({ messages }, 10_000_000)).toBe(countChatTokens(messages));
    const prompt = corpus().join(' ');
    expect(await countPromptTokensAsync({ prompt }, 10_000_000)).toBe(countTokens(prompt));
    expect(await countPromptTokensAsync({ prompt }, 100)).toBeGreaterThan(100);
    expect(promptChars({ messages: [{ role: 'user', content: 'abc', name: 'de' }] })).toBe(5);
  });
});

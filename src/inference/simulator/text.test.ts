import { describe, expect, it } from 'vitest';
import { countTokens } from '../tokens.js';
import { generateText } from './text.js';

describe('simulated text', () => {
  it('is the same for the same seed and different for another', () => {
    const a = generateText({ seed: 42, targetTokens: 30, maxTokens: 100 });
    expect(generateText({ seed: 42, targetTokens: 30, maxTokens: 100 })).toEqual(a);
    expect(generateText({ seed: 43, targetTokens: 30, maxTokens: 100 }).pieces).not.toEqual(a.pieces);
  });

  it('reads like sentences and counts its tokens with the tokenizer', () => {
    const t = generateText({ seed: 7, targetTokens: 60, maxTokens: 1000 });
    const text = t.pieces.join('');
    expect(text).toMatch(/^[A-Z][a-z]* [a-z]/);
    expect(text).toMatch(/[.?!] [A-Z]/);
    expect(countTokens(text)).toBe(t.tokens);
    expect(t.finishReason).toBe('stop');
  });

  it('respects max_tokens and reports length', () => {
    const t = generateText({ seed: 7, targetTokens: 60, maxTokens: 9 });
    expect(t.tokens).toBeLessThanOrEqual(9);
    expect(countTokens(t.pieces.join(''))).toBeLessThanOrEqual(9);
    expect(t.finishReason).toBe('length');
  });

  it('ends before a stop sequence', () => {
    const full = generateText({ seed: 3, targetTokens: 80, maxTokens: 80 }).pieces.join('');
    const word = full.split(' ')[4]!;
    const t = generateText({ seed: 3, targetTokens: 80, maxTokens: 80, stop: [` ${word}`] });
    expect(t.pieces.join('')).toBe(full.slice(0, full.indexOf(` ${word}`)));
    expect(t.finishReason).toBe('stop');
  });
});

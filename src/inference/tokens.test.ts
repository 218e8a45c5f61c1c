import { describe, expect, it } from 'vitest';
import { countChatTokens, countTokens } from './tokens.js';

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
});

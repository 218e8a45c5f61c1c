/**
 * The reveal panel's snippets and the model they (and the test request) use: a key's own scope wins, the
 * default model when the key may call it, and the Anthropic SDK gets the origin without `/v1`.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL, modelForKey, snippets } from '../../web/src/lib/snippets.js';

describe('modelForKey', () => {
  it('uses the default model when the plan offers it, or while the models are loading', () => {
    expect(modelForKey(null, ['qwen', DEFAULT_MODEL])).toBe(DEFAULT_MODEL);
    expect(modelForKey(null, [])).toBe(DEFAULT_MODEL);
  });

  it('uses the first model the key may call when the default is not among them', () => {
    expect(modelForKey(null, ['qwen', 'llama'])).toBe('qwen');
    expect(modelForKey(['llama'], ['qwen', DEFAULT_MODEL, 'llama'])).toBe('llama');
    expect(modelForKey([], ['qwen'])).toBe('qwen');
  });
});

describe('snippets', () => {
  const all = snippets('ptl_test', 'https://portal.example/v1', 'qwen');

  it('gives the Anthropic SDK the origin without /v1, the key, max_tokens and the same model', () => {
    expect(all.anthropic).toContain("import Anthropic from '@anthropic-ai/sdk';");
    expect(all.anthropic).toContain("baseURL: 'https://portal.example',");
    expect(all.anthropic).toContain("apiKey: 'ptl_test'");
    expect(all.anthropic).toMatch(/messages\.create\(\{\n {2}model: 'qwen',\n {2}max_tokens: \d+,/);
  });

  it('puts the chosen model into every snippet', () => {
    for (const code of Object.values(all)) expect(code).toMatch(/qwen/);
    expect(all.curl).toContain('https://portal.example/v1/chat/completions');
  });
});

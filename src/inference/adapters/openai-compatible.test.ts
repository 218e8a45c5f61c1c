import { describe, expect, it } from 'vitest';
import { chatRequest, fixture, replay } from '#test/inference/support.js';
import { createOpenAiCompatibleAdapter } from './openai-compatible.js';

const adapter = createOpenAiCompatibleAdapter();
const target = { baseUrl: 'http://vllm:8000', upstreamModel: 'Qwen/Qwen3-8B' };

describe('openai-compatible adapter', () => {
  it('sends chat messages with the upstream model name and asks for usage in streams', () => {
    const request = chatRequest({
      messages: [
        { role: 'developer', content: 'Rules' },
        { role: 'user', content: 'Hi' },
      ],
    });
    const spec = adapter.buildRequest(request, target, true);
    expect(spec.url).toBe('http://vllm:8000/v1/chat/completions');
    expect(spec.headers.authorization).toBeUndefined();
    expect(JSON.parse(spec.body ?? '{}')).toMatchObject({
      model: 'Qwen/Qwen3-8B',
      messages: [
        { role: 'system', content: 'Rules' },
        { role: 'user', content: 'Hi' },
      ],
      max_tokens: 64,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('sends a legacy prompt to /completions under a custom base path', () => {
    const ollama = createOpenAiCompatibleAdapter({ basePath: '/ollama/v1' });
    const spec = ollama.buildRequest(chatRequest({ messages: undefined, prompt: 'Once' }), target, false);
    expect(spec.url).toBe('http://vllm:8000/ollama/v1/completions');
    expect(ollama.probes(target)[0]?.url).toBe('http://vllm:8000/ollama/v1/models');
  });

  it('parses a chat completion with usage', () => {
    const body = JSON.stringify({
      choices: [{ index: 0, message: { role: 'assistant', content: 'Blue.' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 },
    });
    expect(
      adapter.parseResponse({ status: 200, headers: {}, body }, { request: chatRequest(), target }),
    ).toEqual({
      kind: 'completion',
      completion: { text: 'Blue.', finishReason: 'stop', usage: { promptTokens: 10, completionTokens: 2 } },
    });
  });

  it('replays a recorded chat stream: delta text, then usage from its own chunk', () => {
    const r = replay(adapter, chatRequest(), fixture('openai/chat-stream.sse'));
    expect(r.failure).toBeUndefined();
    expect(r.text.length).toBeGreaterThan(10);
    expect(r.end).toMatchObject({ finishReason: 'stop', usage: { completionTokens: 12 } });
  });

  it('maps an upstream 429 to a retryable failure with its retry-after', () => {
    const r = adapter.parseResponse(
      { status: 429, headers: { 'retry-after': '3' }, body: '{"error":{"message":"slow down"}}' },
      { request: chatRequest(), target },
    );
    expect(r).toMatchObject({
      kind: 'failure',
      failure: { retryable: true, retryAfterMs: 3000, status: 429 },
    });
  });
});

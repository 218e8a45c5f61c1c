import { describe, expect, it } from 'vitest';
import { chatRequest, fixture, replay } from '#test/inference/support.js';
import type { ToolDefinition } from '../types.js';
import { createOpenAiCompatibleAdapter } from './openai-compatible.js';

const native = createOpenAiCompatibleAdapter();
const prompted = createOpenAiCompatibleAdapter({ toolCalling: 'prompt' });
const target = { baseUrl: 'http://vllm:8000', upstreamModel: 'Qwen/Qwen3-8B' };
const tools: ToolDefinition[] = [
  { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
];
const request = chatRequest({
  tools,
  toolChoice: { type: 'function', name: 'get_weather' },
  parallelToolCalls: false,
  responseFormat: { type: 'json_object' },
  messages: [
    { role: 'user', content: 'Weather?' },
    { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{}' }] },
    { role: 'tool', content: 'sunny', toolCallId: 'call_1' },
  ],
});

describe('openai-compatible tools, natively', () => {
  it('passes tools, tool_choice, parallel_tool_calls, response_format, calls and results through', () => {
    const body = JSON.parse(native.buildRequest(request, target, false).body ?? '{}');
    expect(body).toMatchObject({
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: tools[0]!.parameters } }],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      parallel_tool_calls: false,
      response_format: { type: 'json_object' },
      messages: [
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
      ],
    });
  });

  it('reads message.tool_calls and reasoning of a whole answer', () => {
    const message = {
      role: 'assistant',
      content: null,
      reasoning_content: 'Look it up.',
      tool_calls: [
        { id: 'call_x', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
      ],
    };
    const body = JSON.stringify({ choices: [{ index: 0, message, finish_reason: 'tool_calls' }] });
    expect(native.parseResponse({ status: 200, headers: {}, body }, { request, target })).toEqual({
      kind: 'completion',
      completion: {
        text: '',
        reasoning: 'Look it up.',
        toolCalls: [{ id: 'call_x', name: 'get_weather', arguments: '{"city":"Rome"}' }],
        finishReason: 'tool_calls',
        usage: undefined,
      },
    });
  });

  it('maps streamed tool_calls deltas (Ollama reusing index 0 with a new id) to neutral pieces', () => {
    const r = replay(native, request, fixture('openai/chat-stream-tools.sse'), 9);
    expect(r.pieces).toEqual([
      { type: 'reasoning', text: 'Two cities.' },
      { type: 'tool_call', index: 0, id: 'call_a', name: 'get_weather' },
      { type: 'tool_call_args', index: 0, text: '{"city":' },
      { type: 'tool_call_args', index: 0, text: '"Paris"}' },
      { type: 'tool_call', index: 1, id: 'call_b', name: 'get_weather' },
      { type: 'tool_call_args', index: 1, text: '{"city":"Oslo"}' },
      { type: 'end', finishReason: 'tool_calls', usage: { promptTokens: 30, completionTokens: 20 } },
    ]);
  });
});

describe("openai-compatible tools, toolCalling: 'prompt'", () => {
  it('renders the chat with the model template and sends it to /completions', () => {
    const spec = prompted.buildRequest(request, target, true);
    expect(spec.url).toBe('http://vllm:8000/v1/completions');
    const body = JSON.parse(spec.body ?? '{}');
    expect(body.prompt).toContain('<tools>');
    expect(body.prompt.endsWith('{"name": "get_weather", "arguments": ')).toBe(true);
    expect(body.tools).toBeUndefined();
    expect(body.stop).toEqual(['<|im_end|>', '<|endoftext|>']);
  });

  it('parses the text answer with the family parser, the prefilled opener included', () => {
    const body = JSON.stringify({
      choices: [{ index: 0, text: '{"city": "Oslo"}}\n</tool_call>', finish_reason: 'stop' }],
    });
    const r = prompted.parseResponse({ status: 200, headers: {}, body }, { request, target });
    expect(r).toMatchObject({
      kind: 'completion',
      completion: {
        text: '',
        toolCalls: [{ name: 'get_weather', arguments: '{"city": "Oslo"}' }],
        finishReason: 'tool_calls',
      },
    });
  });
});

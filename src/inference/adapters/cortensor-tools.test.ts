import { describe, expect, it } from 'vitest';
import { chatRequest, fixture, model, replay } from '#test/inference/support.js';
import { collectPieces, type OutputPiece } from '../templates/parsers/index.js';
import type { InferenceRequest, StreamPiece, ToolDefinition } from '../types.js';
import { cortensorAdapter } from './cortensor.js';

const tools: ToolDefinition[] = [
  { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
  { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } } } },
];
const ask = (template: string, overrides: Partial<InferenceRequest> = {}) =>
  chatRequest({ model: model({ template }), tools, ...overrides });
const answerOf = (pieces: StreamPiece[]) =>
  collectPieces(pieces.filter((p): p is OutputPiece => p.type !== 'end'));
const id = expect.stringMatching(/^call_[A-Za-z0-9_-]{16}$/);

const cases = [
  {
    file: 'tools-harmony-reasoning-call.sse',
    template: 'harmony',
    expected: {
      text: '',
      reasoning: 'Need theweather tool.',
      toolCalls: [{ id, name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' }],
    },
    finish: 'tool_calls',
  },
  {
    file: 'tools-harmony-call-stop-leak.sse',
    template: 'harmony',
    expected: { text: '', toolCalls: [{ id, name: 'get_time', arguments: '{"zone":"CET"}' }] },
    finish: 'tool_calls',
  },
  {
    file: 'tools-hermes-parallel.sse',
    template: 'chatml',
    expected: {
      text: '',
      toolCalls: [
        { id, name: 'get_weather', arguments: '{"city": "Paris"}' },
        { id, name: 'get_time', arguments: '{"zone": "CET"}' },
      ],
    },
    finish: 'tool_calls',
  },
  {
    file: 'tools-hermes-think-call.sse',
    template: 'chatml',
    expected: {
      text: 'Checking now.',
      reasoning: 'The user wants the weather.',
      toolCalls: [{ id, name: 'get_weather', arguments: '{"city": "Paris"}' }],
    },
    finish: 'tool_calls',
  },
  {
    file: 'tools-hermes-malformed.sse',
    template: 'chatml',
    expected: { text: '{name: get_weather, arguments: {city: Paris}}', toolCalls: [] },
    finish: 'stop',
  },
  {
    file: 'tools-gemma4-reasoning-calls.sse',
    template: 'gemma4',
    expected: {
      text: '',
      reasoning: 'Two lookups.',
      toolCalls: [
        { id, name: 'get_weather', arguments: '{"city":"Paris"}' },
        { id, name: 'get_time', arguments: '{"zone":"CET"}' },
      ],
    },
    finish: 'tool_calls',
  },
];

describe('cortensor streams with tools (recorded SSE)', () => {
  it.each(cases)('$file → the exact neutral answer, whatever the read sizes', (c) => {
    for (const chunk of [1, 3, 7, 64]) {
      const r = replay(cortensorAdapter, ask(c.template), fixture(`cortensor/${c.file}`), chunk);
      expect(r.failure).toBeUndefined();
      expect(answerOf(r.pieces)).toEqual(c.expected);
      expect(r.end?.finishReason).toBe(c.finish);
      // A stop sequence that slipped through ends the stream at once, before the router's usage event.
      if (!c.file.includes('stop-leak'))
        expect(r.end?.usage).toEqual({ promptTokens: 50, completionTokens: 30 });
    }
  });

  it('announces each call before its arguments, with increasing indexes', () => {
    const r = replay(cortensorAdapter, ask('chatml'), fixture('cortensor/tools-hermes-parallel.sse'), 5);
    const kinds = r.pieces.map((p) => (p.type === 'tool_call' ? `call${p.index}` : p.type));
    expect(kinds[0]).toBe('call0');
    expect(kinds.indexOf('call1')).toBeGreaterThan(kinds.lastIndexOf('tool_call_args') - 3);
    expect(kinds.at(-1)).toBe('end');
  });

  it('parses a whole (non-streamed) answer with the same parser', () => {
    const text =
      '<think>\nHmm.\n</think>\n\n<tool_call>\n{"name": "get_time", "arguments": {"zone": "UTC"}}\n</tool_call>';
    const r = cortensorAdapter.parseResponse(
      { status: 200, headers: {}, body: JSON.stringify({ choices: [{ text, finish_reason: 'stop' }] }) },
      { request: ask('chatml'), target: { baseUrl: 'http://r' } },
    );
    expect(r).toEqual({
      kind: 'completion',
      completion: {
        text: '',
        reasoning: 'Hmm.',
        toolCalls: [{ id, name: 'get_time', arguments: '{"zone": "UTC"}' }],
        finishReason: 'tool_calls',
        usage: undefined,
      },
    });
  });

  it('renders the tools into the prompt and drops <|end|> from harmony stops once the model picks channels', () => {
    const body = JSON.parse(
      cortensorAdapter.buildRequest(ask('harmony'), { baseUrl: 'http://r' }, true).body ?? '{}',
    );
    expect(body.prompt).toContain('namespace functions {');
    expect(body.prompt.endsWith('<|start|>assistant')).toBe(true);
    expect(body.stop).toEqual(['<|return|>', '<|call|>']);
  });
});

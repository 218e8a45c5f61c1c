import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { StreamPiece } from '#src/inference/types.js';
import { chatCompletionBody, chatStreamEncoder } from './openai.js';
import type { StreamEncoder } from './types.js';
import { answeringWith, encodeStream } from '#test/support/stream-encoding.js';

const meta = { id: 'chatcmpl-1', model: 'oss-20b', created: 1_700_000_000 };
const usage = { inputTokens: 20, outputTokens: 12 };

const encode = (encoder: StreamEncoder, pieces: StreamPiece[]) => encodeStream(encoder, pieces, usage);

const chunksOf = (sse: string) =>
  sse
    .split('\n\n')
    .filter((f) => f.startsWith('data: {'))
    .map((f) => JSON.parse(f.slice('data: '.length)) as OpenAI.ChatCompletionChunk);

/** An SDK whose every request is answered with `body` (SSE or JSON). */
const sdkAnswering = (body: string, type: string) =>
  new OpenAI({ ...answeringWith(body, type), baseURL: 'http://portal.test/v1' });

const TWO_CALLS: StreamPiece[] = [
  { type: 'reasoning', text: 'Two cities, ' },
  { type: 'reasoning', text: 'two calls.' },
  { type: 'tool_call', index: 0, id: 'call_aaa', name: 'get_weather' },
  { type: 'tool_call_args', index: 0, text: '{"city":' },
  { type: 'tool_call', index: 1, id: 'call_bbb', name: 'get_weather' },
  { type: 'tool_call_args', index: 0, text: '"Paris"}' },
  { type: 'tool_call_args', index: 1, text: '{"city":"Oslo"}' },
  { type: 'end', finishReason: 'stop' },
];

describe('OpenAI chat stream with two parallel calls', () => {
  it('sends delta.tool_calls as OpenAI does: id, type and name first, then argument fragments', () => {
    const chunks = chunksOf(encode(chatStreamEncoder(meta, true), TWO_CALLS));
    const deltas = chunks.map((c) => c.choices[0]?.delta);
    expect(deltas[0]).toEqual({ role: 'assistant', content: '', refusal: null });
    expect(deltas[1]).toEqual({ reasoning_content: 'Two cities, ' });
    expect(deltas[3]).toEqual({
      tool_calls: [
        { index: 0, id: 'call_aaa', type: 'function', function: { name: 'get_weather', arguments: '' } },
      ],
    });
    expect(deltas[4]).toEqual({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] });
    expect(deltas[5]!.tool_calls![0]).toMatchObject({ index: 1, id: 'call_bbb' });
    expect(deltas[6]).toEqual({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] });
    expect(deltas[7]).toEqual({ tool_calls: [{ index: 1, function: { arguments: '{"city":"Oslo"}' } }] });
    expect(chunks[8]!.choices[0]).toMatchObject({ delta: {}, finish_reason: 'tool_calls' });
    expect(chunks[9]!.choices).toEqual([]);
    expect(chunks[9]!.usage).toEqual({ prompt_tokens: 20, completion_tokens: 12, total_tokens: 32 });
    expect(new Set(chunks.map((c) => c.id))).toEqual(new Set(['chatcmpl-1']));
  });

  it('is assembled by the official SDK into two calls with parsed arguments', async () => {
    const sdk = sdkAnswering(encode(chatStreamEncoder(meta, false), TWO_CALLS), 'text/event-stream');
    const final = await sdk.chat.completions
      .stream({ model: 'oss-20b', messages: [{ role: 'user', content: 'weather?' }] })
      .finalChatCompletion();
    const message = final.choices[0]!.message;
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
    expect(message.tool_calls!.map((c) => c.type === 'function' && [c.id, c.function.arguments])).toEqual([
      ['call_aaa', '{"city":"Paris"}'],
      ['call_bbb', '{"city":"Oslo"}'],
    ]);
  });

  it('renumbers calls from 0 in the order they start and maps neutral ids to call_…', () => {
    const chunks = chunksOf(
      encode(chatStreamEncoder(meta, false), [
        { type: 'text', text: 'Let me check.' },
        { type: 'tool_call', index: 7, id: 'toolu_xyz', name: 'f' },
        { type: 'tool_call_args', index: 7, text: '{}' },
        { type: 'end', finishReason: 'tool_calls' },
      ]),
    );
    expect(chunks[1]!.choices[0]!.delta.content).toBe('Let me check.');
    expect(chunks[2]!.choices[0]!.delta.tool_calls![0]).toMatchObject({ index: 0, id: 'call_xyz' });
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('tool_calls');
  });

  it('finishes with length when the token limit cut a call', () => {
    const chunks = chunksOf(
      encode(chatStreamEncoder(meta, false), [
        { type: 'tool_call', index: 0, id: 'call_1', name: 'f' },
        { type: 'tool_call_args', index: 0, text: '{"a":' },
        { type: 'end', finishReason: 'length' },
      ]),
    );
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('length');
  });
});

describe('OpenAI chat completion body', () => {
  it('has null content, tool_calls and finish_reason tool_calls when the answer is only calls', async () => {
    const body = chatCompletionBody(
      meta,
      {
        text: '',
        reasoning: 'thinking',
        toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
        finishReason: 'stop',
      },
      usage,
    );
    expect(body.choices[0]!.message).toEqual({
      role: 'assistant',
      content: null,
      refusal: null,
      reasoning_content: 'thinking',
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      ],
    });
    expect(body.choices[0]!.finish_reason).toBe('tool_calls');
    const sdk = sdkAnswering(JSON.stringify(body), 'application/json');
    const parsed = await sdk.chat.completions.create({ model: 'oss-20b', messages: [] });
    expect(parsed.choices[0]!.message.tool_calls).toHaveLength(1);
  });

  it('keeps the plain answer as before: text content, no tool_calls or reasoning fields', () => {
    const body = chatCompletionBody(meta, { text: 'Hi', finishReason: 'stop' }, usage);
    expect(body.choices[0]!.message).toEqual({ role: 'assistant', content: 'Hi', refusal: null });
    expect(body.choices[0]!.finish_reason).toBe('stop');
  });
});

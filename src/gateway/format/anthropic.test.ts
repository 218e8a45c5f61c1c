import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import type { StreamPiece } from '#src/inference/types.js';
import { messageBody, messageStreamEncoder, THINKING_SIGNATURE } from './anthropic.js';
import type { StreamEncoder } from './types.js';
import { answeringWith, encodeStream } from '#test/support/stream-encoding.js';

const meta = { id: 'msg_1', model: 'qwen', created: 1_700_000_000 };
const usage = { inputTokens: 30, outputTokens: 15 };

const encode = (encoder: StreamEncoder, pieces: StreamPiece[]) => encodeStream(encoder, pieces, usage);

/** The event types of a message with one text block carrying `deltas`. */
const textBlockEvents = (deltas: string[]) => [
  'message_start',
  'content_block_start',
  ...deltas,
  'content_block_stop',
  'message_delta',
  'message_stop',
];

const eventsOf = (sse: string) =>
  sse
    .split('\n\n')
    .filter(Boolean)
    .map((frame) => {
      const [event, data] = frame.split('\n');
      const parsed = JSON.parse(data!.slice('data: '.length)) as { type: string } & Record<string, unknown>;
      expect(event).toBe(`event: ${parsed.type}`);
      return parsed;
    });

const sdkAnswering = (body: string, type: string) =>
  new Anthropic({ ...answeringWith(body, type), baseURL: 'http://portal.test' });

const THINK_THEN_CALL: StreamPiece[] = [
  { type: 'reasoning', text: 'The user wants ' },
  { type: 'reasoning', text: 'the weather.' },
  { type: 'text', text: 'Checking.' },
  { type: 'tool_call', index: 0, id: 'call_abc', name: 'get_weather' },
  { type: 'tool_call_args', index: 0, text: '{"city":' },
  { type: 'tool_call_args', index: 0, text: '"Paris"}' },
  { type: 'end', finishReason: 'tool_calls' },
];

describe('Anthropic stream with thinking and tool_use', () => {
  it('opens thinking, text and tool_use blocks in order, each closed before the next', () => {
    const events = eventsOf(encode(messageStreamEncoder(meta, true), THINK_THEN_CALL));
    const summary = events.map((e) => {
      const d = (e.delta ?? e.content_block) as { type?: string } | undefined;
      return `${e.type}${e.index !== undefined ? `#${String(e.index)}` : ''}${d?.type ? `:${d.type}` : ''}`;
    });
    expect(summary).toEqual([
      'message_start',
      'content_block_start#0:thinking',
      'content_block_delta#0:thinking_delta',
      'content_block_delta#0:thinking_delta',
      'content_block_delta#0:signature_delta',
      'content_block_stop#0',
      'content_block_start#1:text',
      'content_block_delta#1:text_delta',
      'content_block_stop#1',
      'content_block_start#2:tool_use',
      'content_block_delta#2:input_json_delta',
      'content_block_delta#2:input_json_delta',
      'content_block_stop#2',
      'message_delta',
      'message_stop',
    ]);
    expect(events[13]!.delta).toEqual({ stop_reason: 'tool_use', stop_sequence: null });
    expect(events[9]!.content_block).toEqual({
      type: 'tool_use',
      id: 'toolu_abc',
      name: 'get_weather',
      input: {},
    });
    expect(events[13]!.usage).toEqual({ input_tokens: 30, output_tokens: 15 });
  });

  it('is assembled by the official SDK: thinking, text and a tool_use with its input', async () => {
    const sdk = sdkAnswering(encode(messageStreamEncoder(meta, true), THINK_THEN_CALL), 'text/event-stream');
    const final = await sdk.messages
      .stream({ model: 'qwen', max_tokens: 2048, messages: [{ role: 'user', content: 'weather?' }] })
      .finalMessage();
    expect(final.stop_reason).toBe('tool_use');
    expect(final.content).toEqual([
      { type: 'thinking', thinking: 'The user wants the weather.', signature: THINKING_SIGNATURE },
      { type: 'text', text: 'Checking.' },
      { type: 'tool_use', id: 'toolu_abc', name: 'get_weather', input: { city: 'Paris' } },
    ]);
  });

  it('drops reasoning when the request did not enable thinking', () => {
    const events = eventsOf(encode(messageStreamEncoder(meta, false), THINK_THEN_CALL));
    expect(events.filter((e) => e.type === 'content_block_start').map((e) => e.index)).toEqual([0, 1]);
    expect(JSON.stringify(events)).not.toContain('thinking');
  });

  it('sends a plain answer exactly as before: one text block at index 0', () => {
    const events = eventsOf(
      encode(messageStreamEncoder(meta), [
        { type: 'text', text: 'Hel' },
        { type: 'text', text: 'lo' },
        { type: 'end', finishReason: 'stop' },
      ]),
    );
    expect(events.map((e) => e.type)).toEqual(
      textBlockEvents(['content_block_delta', 'content_block_delta']),
    );
    expect((events[5]!.delta as { stop_reason: string }).stop_reason).toBe('end_turn');
  });

  it('still sends an (empty) text block when the answer is empty', () => {
    const events = eventsOf(encode(messageStreamEncoder(meta), [{ type: 'end', finishReason: 'length' }]));
    expect(events.map((e) => e.type)).toEqual(textBlockEvents([]));
    expect((events[3]!.delta as { stop_reason: string }).stop_reason).toBe('max_tokens');
  });
});

describe('Anthropic message body', () => {
  it('has thinking, tool_use blocks with parsed input and stop_reason tool_use', async () => {
    const body = messageBody(
      meta,
      {
        text: '',
        reasoning: 'hmm',
        toolCalls: [
          { id: 'call_1', name: 'a', arguments: '{"x":1}' },
          { id: 'call_2', name: 'b', arguments: '{}' },
        ],
        finishReason: 'stop',
      },
      usage,
      true,
    );
    expect(body.content).toEqual([
      { type: 'thinking', thinking: 'hmm', signature: THINKING_SIGNATURE },
      { type: 'tool_use', id: 'toolu_1', name: 'a', input: { x: 1 } },
      { type: 'tool_use', id: 'toolu_2', name: 'b', input: {} },
    ]);
    expect(body.stop_reason).toBe('tool_use');
    const msg = await sdkAnswering(JSON.stringify(body), 'application/json').messages.create({
      model: 'qwen',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(msg.content).toHaveLength(3);
  });

  it('leaves thinking out unless enabled, and keeps a plain answer one text block', () => {
    const body = messageBody(meta, { text: 'Hi', reasoning: 'hmm', finishReason: 'stop' }, usage);
    expect(body.content).toEqual([{ type: 'text', text: 'Hi' }]);
    expect(body.stop_reason).toBe('end_turn');
  });
});

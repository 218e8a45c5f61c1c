import { describe, expect, it } from 'vitest';
import { chatRequest, model } from '#test/inference/support.js';
import { cortensorAdapter } from '#src/inference/adapters/cortensor.js';
import { collectPieces } from '#src/inference/templates/parsers/index.js';
import type { InferenceRequest, StreamPiece, ToolDefinition } from '#src/inference/types.js';
import { simOptionsSchema, type SimOptionsInput } from '../options.js';
import { toolAnswer } from './index.js';

const tools: ToolDefinition[] = [
  {
    name: 'get_weather',
    description: 'Current weather in a city.',
    parameters: {
      type: 'object',
      properties: {
        city: { type: 'string', description: 'City name' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        days: { type: 'integer', minimum: 1, maximum: 5 },
      },
      required: ['city', 'unit', 'days'],
    },
  },
  {
    name: 'get_time',
    parameters: { type: 'object', properties: { zone: { type: 'string' } }, required: ['zone'] },
  },
];
const target = { baseUrl: 'http://router', sessionId: 1 };
const families = ['harmony', 'chatml', 'gemma4', 'gemma', 'llama3'];

/** The request through the adapter, the simulated router and back through the adapter's stream parser. */
function roundTrip(request: InferenceRequest, knobs: SimOptionsInput = {}) {
  const body = JSON.parse(cortensorAdapter.buildRequest(request, target, true).body ?? '{}');
  const generated = toolAnswer(body.prompt, simOptionsSchema.parse(knobs), 1024, body.stop ?? []);
  expect(generated).toBeDefined();
  const state = cortensorAdapter.initStreamState(request);
  const pieces: StreamPiece[] = [];
  for (const text of generated!.pieces)
    pieces.push(
      ...cortensorAdapter.parseEvent(JSON.stringify({ id: 'a', choices: [{ text }] }), state).pieces,
    );
  const last = JSON.stringify({ id: 'a', choices: [{ text: '', finish_reason: 'stop' }] });
  pieces.push(...cortensorAdapter.parseEvent(last, state).pieces);
  const end = pieces.find((p) => p.type === 'end');
  const answer = collectPieces(pieces.filter((p) => p.type !== 'end') as never);
  return { answer, end, raw: generated!.pieces.join('') };
}

const ask = (template: string, overrides: Partial<InferenceRequest> = {}) =>
  chatRequest({
    model: model({ template }),
    messages: [{ role: 'user', content: 'What is the weather in Paris today?' }],
    tools,
    ...overrides,
  });

describe('simulated router answers with tools (through the real templates and parsers)', () => {
  it.each(families)('%s: calls a tool with arguments that conform to its schema', (family) => {
    const { answer, end } = roundTrip(ask(family));
    expect(end).toMatchObject({ type: 'end', finishReason: 'tool_calls' });
    expect(answer.text).toBe('');
    expect(answer.toolCalls).toHaveLength(1);
    const call = answer.toolCalls[0]!;
    expect(call.name).toBe('get_weather');
    const args = JSON.parse(call.arguments);
    expect(args.city).toBe('Paris');
    expect(['celsius', 'fahrenheit']).toContain(args.unit);
    expect(args.days).toBeGreaterThanOrEqual(1);
  });

  it.each(families)('%s: a named forced call continues from the prefilled opener', (family) => {
    const { answer } = roundTrip(ask(family, { toolChoice: { type: 'function', name: 'get_time' } }));
    expect(answer.toolCalls.map((c) => c.name)).toEqual(['get_time']);
    expect(JSON.parse(answer.toolCalls[0]!.arguments)).toHaveProperty('zone');
  });

  it.each(families)('%s: "required" picks a function after the prefilled opener', (family) => {
    const { answer } = roundTrip(ask(family, { toolChoice: { type: 'required' } }));
    expect(answer.toolCalls).toHaveLength(1);
    expect(() => JSON.parse(answer.toolCalls[0]!.arguments)).not.toThrow();
  });

  it.each(families)('%s: answers with text that uses the tool result', (family) => {
    const request = ask(family, {
      messages: [
        { role: 'user', content: 'What is the weather in Paris today?' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
        },
        { role: 'tool', content: '{"temperature": 21}', toolCallId: 'call_1' },
      ],
    });
    const { answer, end } = roundTrip(request);
    expect(answer.toolCalls).toEqual([]);
    expect(answer.text).toMatch(/^The result of get_weather is .*21/);
    expect(end).toMatchObject({ finishReason: 'stop' });
  });

  it.each(families)('%s: a JSON schema request gets a conforming JSON answer', (family) => {
    const schema = {
      type: 'object',
      properties: { colour: { type: 'string', enum: ['red', 'blue'] } },
      required: ['colour'],
    };
    const request = ask(family, {
      tools: undefined,
      responseFormat: { type: 'json_schema', name: 'pick', schema },
    });
    const { answer } = roundTrip(request);
    expect(['red', 'blue']).toContain(JSON.parse(answer.text).colour);
  });

  it.each(['chatml', 'gemma4'])(
    '%s: two parallel calls, markers split across pieces, reasoning first',
    (family) => {
      const { answer, raw } = roundTrip(ask(family), {
        toolCallsPerAnswer: 2,
        splitMarkers: true,
        reasoning: 'always',
      });
      expect(raw.length).toBeGreaterThan(0);
      expect(answer.reasoning).toMatch(/tools/);
      expect(answer.toolCalls.map((c) => c.name)).toEqual(['get_weather', 'get_time']);
    },
  );

  it('harmony reasons on the analysis channel and stops at <|call|> (one call per message)', () => {
    const { answer, raw } = roundTrip(ask('harmony'), { toolCallsPerAnswer: 2, splitMarkers: true });
    expect(raw).not.toContain('<|call|>');
    expect(answer.reasoning).toMatch(/tools/);
    expect(answer.toolCalls).toHaveLength(1);
  });

  it('malformed call JSON reaches the client as a call with the raw arguments (Hermes)', () => {
    const { answer } = roundTrip(ask('chatml'), { malformedToolCalls: true });
    expect(answer.toolCalls[0]?.name).toBe('get_weather');
    expect(() => JSON.parse(answer.toolCalls[0]!.arguments)).toThrow();
  });

  it('leaves prompts without tools to the ordinary text generator', () => {
    const body = JSON.parse(cortensorAdapter.buildRequest(chatRequest(), target, true).body ?? '{}');
    expect(toolAnswer(body.prompt, simOptionsSchema.parse({}), 100, body.stop)).toBeUndefined();
  });
});

/**
 * Tool calling end to end inside the inference layer: each launch model's template through a real
 * simulated router over HTTP (Cortensor pools), and an OpenAI-compatible pool natively and with
 * `toolCalling: prompt` — streamed and not, a call then an answer that uses the tool result.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPieces, type OutputPiece } from '#src/inference/templates/parsers/index.js';
import type { ChatMessage, InferenceRequest, ToolDefinition } from '#src/inference/types.js';
import { piecesOf, startTestFleet, type TestFleet } from './support.js';

const tools: ToolDefinition[] = [
  {
    name: 'get_weather',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } },
      required: ['city', 'unit'],
    },
  },
];
const question: ChatMessage[] = [{ role: 'user', content: 'What is the weather in Paris?' }];

async function streamed(fleet: TestFleet, request: InferenceRequest) {
  const pieces = [];
  for await (const p of piecesOf((await fleet.inference.stream(request)).batches)) pieces.push(p);
  const end = pieces.find((p) => p.type === 'end');
  return { ...collectPieces(pieces.filter((p): p is OutputPiece => p.type !== 'end')), end };
}

/** A call, then the result fed back and an answer that uses it, streamed and not. */
async function loop(fleet: TestFleet) {
  const whole = await fleet.inference.complete(fleet.request({ messages: question, tools, maxTokens: 512 }));
  expect(whole.finishReason).toBe('tool_calls');
  const call = whole.toolCalls?.[0];
  expect(call?.name).toBe('get_weather');
  expect(JSON.parse(call!.arguments)).toMatchObject({ city: 'Paris' });
  const stream = await streamed(fleet, fleet.request({ messages: question, tools, maxTokens: 512 }));
  expect(stream.end).toMatchObject({ finishReason: 'tool_calls' });
  expect(stream.toolCalls.map((c) => [c.name, JSON.parse(c.arguments).city])).toEqual([
    ['get_weather', 'Paris'],
  ]);
  expect(stream.text).toBe('');
  const followUp: ChatMessage[] = [
    ...question,
    { role: 'assistant', content: '', toolCalls: [call!] },
    { role: 'tool', content: '{"temperature": 21}', toolCallId: call!.id },
  ];
  const answer = await fleet.inference.complete(fleet.request({ messages: followUp, tools, maxTokens: 512 }));
  expect(answer.finishReason).toBe('stop');
  expect(answer.text).toMatch(/get_weather.*21/);
  const forced = await streamed(
    fleet,
    fleet.request({
      messages: question,
      tools,
      maxTokens: 512,
      toolChoice: { type: 'function', name: 'get_weather' },
    }),
  );
  expect(forced.toolCalls.map((c) => c.name)).toEqual(['get_weather']);
}

describe.each(['oss-20b', 'oss-120b', 'gemma4', 'qwen'])('%s on a Cortensor pool (simulator)', (modelId) => {
  let fleet: TestFleet;
  beforeAll(async () => {
    fleet = await startTestFleet({ modelId, sim: { splitMarkers: true } });
  });
  afterAll(() => fleet.close());

  it('calls the tool, then answers with its result (streamed and not, forced too)', () => loop(fleet));
});

describe.each(['native', 'prompt'])('openai-compatible pool, toolCalling %s (simulator)', (toolCalling) => {
  let fleet: TestFleet;
  beforeAll(async () => {
    fleet = await startTestFleet({
      pool: { kind: 'openai', toolCalling, models: [{ id: 'qwen', upstreamModel: 'Qwen/Qwen3-8B' }] },
    });
  });
  afterAll(() => fleet.close());

  it('calls the tool, then answers with its result (streamed and not, forced too)', () => loop(fleet));
});

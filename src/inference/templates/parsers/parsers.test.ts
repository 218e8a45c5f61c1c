import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ToolDefinition } from '#src/inference/types.js';
import { collectPieces, createOutputParser, parseOutput, type OutputParserOptions } from './index.js';

const fixture = (name: string) => readFileSync(new URL(`../__fixtures__/${name}`, import.meta.url), 'utf8');

const tools: ToolDefinition[] = [
  { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
  { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } } } },
];

function ids(): () => string {
  let n = 0;
  return () => `call_${++n}`;
}

/** Streams `text` in pieces of `size` characters (1 = split inside every marker). */
function stream(family: string, text: string, size: number, options: OutputParserOptions = {}) {
  const parser = createOutputParser(family, { tools, newId: ids(), ...options });
  const pieces = [];
  for (let i = 0; i < text.length; i += size) pieces.push(...parser.push(text.slice(i, i + size)));
  pieces.push(...parser.end());
  return { pieces, calls: parser.calls() };
}

const call = (n: number, name: string, args: string) => ({ id: `call_${n}`, name, arguments: args });
const weatherAndTime = (weather: string, time: string) => [
  call(1, 'get_weather', weather),
  call(2, 'get_time', time),
];

/** An answer with text (and reasoning) and no tool calls. */
const answer = (text: string, reasoning?: string) => ({
  text,
  ...(reasoning ? { reasoning } : {}),
  toolCalls: [],
});
/** An answer that is only tool calls. */
const callsOnly = (toolCalls: ReturnType<typeof call>[]) => ({ text: '', toolCalls });

const cases: Array<{
  file: string;
  family: string;
  options?: OutputParserOptions;
  expected: ReturnType<typeof collectPieces>;
}> = [
  {
    file: 'harmony-reasoning-call.txt',
    family: 'harmony',
    options: { prefill: '<|start|>assistant' },
    expected: {
      text: '',
      reasoning: 'Need to use function get_weather.',
      toolCalls: [call(1, 'get_weather', '{"location":"San Francisco"}')],
    },
  },
  {
    file: 'harmony-final.txt',
    family: 'harmony',
    options: { prefill: '<|start|>assistant' },
    expected: answer('Hello there.', 'User greets. Reply.'),
  },
  {
    file: 'harmony-two-calls.txt',
    family: 'harmony',
    options: { prefill: '<|start|>assistant' },
    expected: callsOnly(weatherAndTime('{"location":"Paris"}', '{"zone":"CET"}')),
  },
  {
    file: 'hermes-parallel.txt',
    family: 'chatml',
    expected: callsOnly(weatherAndTime('{"city": "Paris"}', '{"zone": "CET"}')),
  },
  {
    file: 'hermes-think-call.txt',
    family: 'chatml',
    expected: {
      text: 'Let me check.',
      reasoning: 'The user wants weather; call the tool.',
      toolCalls: [call(1, 'get_weather', '{"city": "Paris", "days": [1, 2]}')],
    },
  },
  {
    file: 'hermes-malformed.txt',
    family: 'chatml',
    expected: { text: '{"name": get_weather, "arguments": {city: Paris}}', toolCalls: [] },
  },
  {
    file: 'hermes-fenced-reordered.txt',
    family: 'chatml',
    expected: callsOnly([call(1, 'get_weather', '{"city":"Paris"}')]),
  },
  {
    file: 'hermes-no-open-think.txt',
    family: 'chatml',
    options: { prefill: '<think>\n' },
    expected: answer('The answer is 4.', 'Still thinking about it.'),
  },
  {
    file: 'gemma4-reasoning-calls.txt',
    family: 'gemma4',
    expected: {
      text: '',
      reasoning: 'Check the weather and time.',
      toolCalls: weatherAndTime('{"city":"Paris","days":3}', '{"zone":"CET"}'),
    },
  },
  {
    file: 'llama3-calls.txt',
    family: 'llama3',
    expected: callsOnly(weatherAndTime('{"city": "Paris"}', '{"zone": "CET"}')),
  },
  {
    file: 'gemma3-fenced-call.txt',
    family: 'gemma',
    expected: callsOnly([call(1, 'get_weather', '{"city": "Paris"}')]),
  },
];

describe('output parsers (recorded model text)', () => {
  it.each(cases)(
    '$file: the whole text parses to the exact neutral answer',
    ({ file, family, options, expected }) => {
      expect(parseOutput(family, fixture(file), { tools, newId: ids(), ...options })).toEqual(expected);
    },
  );

  it.each(cases)('$file: the same answer when streamed in pieces of 1, 2, 3, 5 and 7 characters', (c) => {
    for (const size of [1, 2, 3, 5, 7]) {
      const { pieces } = stream(c.family, fixture(c.file), size, c.options);
      expect(collectPieces(pieces)).toEqual(c.expected);
      for (const p of pieces) if (p.type === 'text') expect(p.text).not.toMatch(/<\||<tool|<think|\|>/);
    }
  });

  it('announces a call once with its whole name, then argument fragments, even cut inside the marker', () => {
    const { pieces, calls } = stream('chatml', fixture('hermes-parallel.txt'), 4);
    expect(calls).toBe(2);
    const opens = pieces.filter((p) => p.type === 'tool_call');
    expect(opens).toEqual([
      { type: 'tool_call', index: 0, id: 'call_1', name: 'get_weather' },
      { type: 'tool_call', index: 1, id: 'call_2', name: 'get_time' },
    ]);
    expect(pieces.filter((p) => p.type === 'tool_call_args').length).toBeGreaterThan(2);
  });

  it('keeps plain text exactly as it came when there are no tools', () => {
    const text = '  Hello <b>world</b> <|im_end|? 1 < 2\n\n';
    for (const family of ['chatml', 'llama3', 'gemma', 'gemma4'])
      expect(parseOutput(family, text).text).toBe(text);
  });

  it('reads the prefilled opener of a forced call (named and any)', () => {
    const named = parseOutput('chatml', '{"city": "Oslo"}}\n</tool_call>', {
      tools,
      newId: ids(),
      prefill: '<think>\n\n</think>\n\n<tool_call>\n{"name": "get_weather", "arguments": ',
    });
    expect(named).toEqual({
      text: '',
      toolCalls: [call(1, 'get_weather', '{"city": "Oslo"}')],
    });
    const any = parseOutput('harmony', 'get_time <|constrain|>json<|message|>{"zone":"UTC"}', {
      tools,
      newId: ids(),
      prefill: '<|start|>assistant<|channel|>commentary to=functions.',
    });
    expect(any.toolCalls).toEqual([call(1, 'get_time', '{"zone":"UTC"}')]);
  });

  it('maps sanitised harmony names back to the client names', () => {
    const named: ToolDefinition[] = [{ name: 'weather.get-now' }];
    const r = parseOutput('harmony', '<|channel|>commentary to=functions.weather_get_now<|message|>{}', {
      tools: named,
      prefill: '<|start|>assistant',
    });
    expect(r.toolCalls[0]?.name).toBe('weather.get-now');
    expect(r.toolCalls[0]?.id).toMatch(/^call_[A-Za-z0-9_-]{16}$/);
  });

  it('drops calls when tools are off, and all but the first without parallel calls', () => {
    const text = fixture('hermes-parallel.txt');
    expect(parseOutput('chatml', text, { tools, toolsEnabled: false }).toolCalls).toEqual([]);
    expect(parseOutput('chatml', text, { tools, parallelToolCalls: false }).toolCalls).toHaveLength(1);
  });

  it('shows harmony text without markup as text, and a final answer prefilled as is', () => {
    expect(parseOutput('harmony', 'Just words.').text).toBe('Just words.');
    expect(
      parseOutput('harmony', 'Hi!', { prefill: '<|start|>assistant<|channel|>final<|message|>' }).text,
    ).toBe('Hi!');
  });

  it('passes text through for the plain family and unknown ones', () => {
    expect(parseOutput('plain', '<tool_call>x').text).toBe('<tool_call>x');
  });
});

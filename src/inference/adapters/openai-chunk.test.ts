import { describe, expect, it } from 'vitest';
import { chatRequest, fixture } from '#test/inference/support.js';
import { createRandom } from '#src/inference/simulator/text.js';
import { plainContentDelta } from './openai-chunk.js';
import { createOpenAiCompatibleAdapter, parseEvent, parseEventJson } from './openai-compatible.js';
import type { StreamState } from './types.js';

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const chance = (r: Rand, p: number) => r() < p;

/** Text of every kind a token can be: escapes, quotes, control characters, astral and lone surrogates. */
const PIECES = [
  'word',
  ' ',
  'é',
  '日本',
  '😀',
  '"',
  '\\',
  '/',
  '\n',
  '\t',
  '\u0001',
  '\u001f',
  '\u007f',
  '\ud800',
  '</s>',
  'STOP',
  '',
];
function text(r: Rand): string {
  let s = '';
  const n = Math.floor(r() * 5);
  for (let i = 0; i < n; i++) s += pick(r, PIECES);
  return s;
}

/** A JSON string for `s`, sometimes with optional escapes (\/ and \uXXXX) that JSON.stringify never writes. */
function jsonString(r: Rand, s: string): string {
  const plain = JSON.stringify(s);
  if (!chance(r, 0.3)) return plain;
  return plain.replace(/[a-z/]/g, (ch) =>
    chance(r, 0.5) ? (ch === '/' ? '\\/' : `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`) : ch,
  );
}

const ws = (r: Rand) => (chance(r, 0.85) ? '' : pick(r, [' ', '\n', '\t ', '\r\n  ']));

/** Members as [key as written, value as written]; written in the order given, commas and spacing random. */
type Members = Array<[string, string]>;
function object(r: Rand, members: Members): string {
  return `{${ws(r)}${members.map(([k, v]) => `${k}${ws(r)}:${ws(r)}${v}`).join(`${ws(r)},${ws(r)}`)}${ws(r)}}`;
}
function shuffle<T>(r: Rand, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}
const k = (name: string) => JSON.stringify(name);

function delta(r: Rand): string {
  const m: Members = [];
  if (chance(r, 0.3)) m.push([k('role'), k('assistant')]);
  if (chance(r, 0.9)) m.push([k('content'), chance(r, 0.05) ? 'null' : jsonString(r, text(r))]);
  if (chance(r, 0.05)) m.push([k('content'), jsonString(r, text(r))]); // a duplicate: the last one counts
  if (chance(r, 0.05)) m.push([k('reasoning_content'), jsonString(r, text(r))]);
  if (chance(r, 0.03)) m.push([k('reasoning'), pick(r, ['null', '"think"'])]);
  if (chance(r, 0.05))
    m.push([k('tool_calls'), '[{"index":0,"id":"call_1","function":{"name":"f","arguments":"{}"}}]']);
  if (chance(r, 0.05)) m.push([k('refusal'), 'null']);
  if (chance(r, 0.03)) m.push(['"cont\\u0065nt"', jsonString(r, text(r))]); // an escaped key: "content"
  return object(r, shuffle(r, m));
}

function choice(r: Rand): string {
  const m: Members = [];
  if (chance(r, 0.9)) m.push([k('index'), pick(r, ['0', '1', '-0', '1e0'])]);
  if (chance(r, 0.95)) m.push([k('delta'), chance(r, 0.03) ? 'null' : delta(r)]);
  if (chance(r, 0.8))
    m.push([k('finish_reason'), pick(r, ['null', 'null', 'null', '"stop"', '"length"', '"tool_calls"'])]);
  if (chance(r, 0.4)) m.push([k('logprobs'), chance(r, 0.9) ? 'null' : '{"content":[]}']);
  if (chance(r, 0.1)) m.push([k('stop_reason'), pick(r, ['null', '128009', '"</s>"'])]);
  if (chance(r, 0.03)) m.push([k('message'), '{"content":"whole"}']);
  if (chance(r, 0.03)) m.push([k('text'), jsonString(r, text(r))]);
  return object(r, shuffle(r, m));
}

function event(r: Rand): string {
  const m: Members = [
    [k('id'), jsonString(r, 'chatcmpl-1')],
    [k('object'), k('chat.completion.chunk')],
    [k('created'), pick(r, ['1795665587', '0', '-1', '1.5e9'])],
    [k('model'), jsonString(r, 'qwen3:8b')],
  ];
  if (chance(r, 0.2)) m.push([k('system_fingerprint'), pick(r, ['null', '"fp_ollama"'])]);
  const n = chance(r, 0.9) ? 1 : pick(r, [0, 2]);
  if (chance(r, 0.97)) m.push([k('choices'), `[${Array.from({ length: n }, () => choice(r)).join(',')}]`]);
  if (chance(r, 0.08))
    m.push([k('usage'), pick(r, ['null', '{"prompt_tokens":3,"completion_tokens":5,"total_tokens":8}'])]);
  if (chance(r, 0.03)) m.push([k('error'), '{"message":"overloaded"}']);
  if (chance(r, 0.03)) m.push([k('choices'), '"none"']); // a duplicate choices: the last one counts
  if (chance(r, 0.03)) m.push(['"choic\\u0065s"', '[]']);
  if (chance(r, 0.05)) m.push([k('extra'), '{"nested":[1,2]}']);
  let out = `${ws(r)}${object(r, shuffle(r, m))}${ws(r)}`;
  // Broken JSON: cut, a raw control character, an invalid escape, a trailing comma.
  if (chance(r, 0.04)) out = out.slice(0, Math.floor(r() * out.length));
  if (chance(r, 0.03)) out = out.replace('"content":"', '"content":"\u0002');
  if (chance(r, 0.03)) out = out.replace('"content":"', '"content":"\\x');
  if (chance(r, 0.03)) out = out.replace(/}$/, ',}');
  return out;
}

const plainAdapter = createOpenAiCompatibleAdapter();
const promptAdapter = createOpenAiCompatibleAdapter({ toolCalling: 'prompt' });

/** Two states built alike: one fed through parseEvent, one through parseEventJson. */
function statePair(r: Rand): [StreamState, StreamState] {
  const request = chatRequest({ stop: chance(r, 0.4) ? ['STOP', '"\\'] : undefined });
  const adapter = chance(r, 0.2) ? promptAdapter : plainAdapter;
  return [adapter.initStreamState(request), adapter.initStreamState(request)];
}

function observable(state: StreamState) {
  const { started, emitted, finishReason, usage } = state;
  return { started, emitted, finishReason, usage };
}

describe('plainContentDelta', () => {
  it('reads the text-only chunks real servers send (vLLM, Ollama, llama.cpp key order, escapes)', () => {
    const cases: Array<[string, string]> = [
      [
        '{"id":"chatcmpl-9","object":"chat.completion.chunk","created":1730000000,"model":"gpt-oss-20b","choices":[{"index":0,"delta":{"content":" word"},"logprobs":null,"finish_reason":null}]}',
        ' word',
      ],
      [
        '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"qwen3:8b","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}]}',
        'Hi',
      ],
      [
        '{"choices":[{"finish_reason":null,"index":0,"delta":{"content":"a\\"b\\\\c\\n\\u00e9\\ud83d\\ude00"}}],"created":1,"id":"x","model":"m","system_fingerprint":"b1","object":"chat.completion.chunk"}',
        'a"b\\c\né😀',
      ],
      ['{ "choices" : [ { "delta" : { "content" : "" } } ] }', ''],
    ];
    for (const [data, expected] of cases) expect(plainContentDelta(data)).toBe(expected);
  });

  it('leaves every other event to the JSON path', () => {
    for (const data of [
      '[DONE]',
      '{"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":"stop"}]}',
      '{"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2}}',
      '{"choices":[{"delta":{"content":"x"}}],"usage":null}',
      '{"choices":[{"delta":{"reasoning_content":"hm","content":""}}]}',
      '{"choices":[{"delta":{"tool_calls":[]}}]}',
      '{"choices":[{"delta":{"content":"x"}},{"delta":{"content":"y"}}]}',
      '{"choices":[{"delta":{"content":"x","content":"y"}}]}',
      '{"choices":[{"delta":{"content":"x"}}],"choices":[]}',
      '{"choices":[{"delta":{"content":"x"},"text":"y"}]}',
      '{"choices":[{"delta":{"content":null}}]}',
      '{"choices":[{"delta":{"content":"\\x"}}]}',
      '{"choices":[{"delta":{"content":"\u0001"}}]}',
      '{"choices":[{"delta":{"content":"x"}}],}',
      '{"choi\\u0063es":[{"delta":{"content":"x"}}]}',
      '{"choices":[{"delta":{"content":"x"}}],"meta":{"a":1}}',
    ])
      expect(plainContentDelta(data), data).toBeUndefined();
  });

  it('reads most events of a recorded stream without parsing them', () => {
    const events = fixture('openai/chat-stream.sse')
      .split('\n')
      .filter((l) => l.startsWith('data: '))
      .map((l) => l.slice(6));
    const read = events.filter((e) => plainContentDelta(e) !== undefined);
    expect(read.length).toBeGreaterThan(events.length - 4);
  });

  it('parseEvent answers what parseEventJson answers, event by event, on 20,000 generated streams', () => {
    let fast = 0;
    let events = 0;
    for (let seed = 1; seed <= 20_000; seed++) {
      const r = createRandom(seed);
      const [a, b] = statePair(r);
      const n = 1 + Math.floor(r() * 5);
      for (let i = 0; i < n; i++) {
        const data = event(r);
        events++;
        if (plainContentDelta(data) !== undefined) {
          fast++;
          // Where the fast path answers, the event is JSON and the text is the parsed delta's content.
          const parsed = JSON.parse(data) as { choices: Array<{ delta: { content: unknown } }> };
          expect(parsed.choices[0]?.delta.content, `seed ${seed}: ${data}`).toBe(plainContentDelta(data));
        }
        expect(parseEvent(data, a), `seed ${seed}: ${data}`).toEqual(parseEventJson(data, b));
        expect(observable(a), `seed ${seed}`).toEqual(observable(b));
      }
      expect(plainAdapter.endStream(a), `seed ${seed}`).toEqual(plainAdapter.endStream(b));
    }
    // The generator reaches both paths often (else this test would compare the JSON path with itself).
    expect(fast).toBeGreaterThan(events / 10);
    expect(events - fast).toBeGreaterThan(events / 10);
  });
});

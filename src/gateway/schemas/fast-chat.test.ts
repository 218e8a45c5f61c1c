import { describe, expect, it } from 'vitest';
import { chatCompletionSchema } from '#src/contracts/openai-requests.js';
import { fastChatBody } from './fast-chat.js';
import { createRandom } from '#src/inference/simulator/text.js';

/** A seeded generator (mulberry32), so a failing case can be replayed from its seed. */
const random = createRandom;

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** Values near every bound the schema and the fast path check, and of every JSON type. */
const NUMBERS = [
  -3,
  -2.5,
  -2,
  -1,
  -0.5,
  0,
  0.3,
  1,
  1.5,
  2,
  2.0001,
  3,
  100,
  4096,
  2 ** 31,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  1e300,
  -0,
];
const STRINGS = ['', 'a', 'oss-20b', 'x'.repeat(128), 'x'.repeat(129), 'x'.repeat(256), 'x'.repeat(257)];
const KEYS = [
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'presence_penalty',
  'frequency_penalty',
  'stream',
  'stream_options',
  'user',
  'n',
  'stop',
  'seed',
  'tools',
  'logprobs',
  'unknown_field',
  '__proto__',
  'constructor',
  'toString',
  'top_k',
  'metadata',
];
const ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function', 'User', ''];
const MESSAGE_KEYS = [
  'role',
  'content',
  'name',
  'tool_call_id',
  'tool_calls',
  'refusal',
  'extra',
  '__proto__',
];

function anyValue(r: Rand, depth = 0): unknown {
  const kind = Math.floor(r() * (depth > 1 ? 6 : 8));
  switch (kind) {
    case 0:
      return null;
    case 1:
      return pick(r, [true, false]);
    case 2:
    case 3:
      return pick(r, NUMBERS);
    case 4:
    case 5:
      return pick(r, STRINGS);
    case 6:
      return Array.from({ length: Math.floor(r() * 3) }, () => anyValue(r, depth + 1));
    default:
      return r() < 0.5
        ? { include_usage: anyValue(r, depth + 1) }
        : { [pick(r, KEYS)]: anyValue(r, depth + 1) };
  }
}

function message(r: Rand): unknown {
  if (r() < 0.05) return anyValue(r, 1);
  const m: Record<string, unknown> = {};
  if (r() < 0.95) m.role = pick(r, r() < 0.8 ? ROLES.slice(0, 4) : ROLES);
  if (r() < 0.95)
    m.content = r() < 0.85 ? pick(r, ['Hi.', '', 'Say hello to the benchmark.']) : anyValue(r, 1);
  if (r() < 0.15) m[pick(r, MESSAGE_KEYS)] = r() < 0.5 ? pick(r, STRINGS) : anyValue(r, 1);
  return m;
}

/** Mostly hot-shape bodies with one or two fields off, so both answers of the fast path are exercised. */
function body(r: Rand): Record<string, unknown> {
  const b: Record<string, unknown> = {};
  if (r() < 0.95) b.model = r() < 0.8 ? 'oss-20b' : anyValue(r, 1);
  if (r() < 0.95)
    b.messages =
      r() < 0.9
        ? Array.from({ length: r() < 0.1 ? 0 : 1 + Math.floor(r() * 3) }, () => message(r))
        : anyValue(r, 1);
  const extra = r() < 0.3 ? 0 : Math.floor(r() * 4);
  for (let i = 0; i < extra; i++) {
    const key = pick(r, KEYS);
    const value =
      key === 'stream_options' && r() < 0.5 ? { include_usage: pick(r, [true, false, null]) } : anyValue(r);
    // A JSON body's "__proto__" is an own property: build it the way JSON.parse does.
    Object.defineProperty(b, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return JSON.parse(JSON.stringify(b)) as Record<string, unknown>;
}

describe('fastChatBody', () => {
  it('accepts the hot shape as the schema parses it', () => {
    const hot = {
      model: 'oss-20b',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Say hello to the benchmark.', name: 'bench' },
      ],
      max_tokens: 32,
      temperature: 0.7,
      stream: true,
      stream_options: { include_usage: true },
    };
    expect(fastChatBody(hot)).toEqual(chatCompletionSchema.parse(hot));
  });

  it.each([
    ['a tool message', { model: 'm', messages: [{ role: 'tool', content: 'x', tool_call_id: 'c' }] }],
    ['content parts', { model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }] }],
    ['tools', { model: 'm', messages: [{ role: 'user', content: 'x' }], tools: [] }],
    ['stop', { model: 'm', messages: [{ role: 'user', content: 'x' }], stop: 'x' }],
    ['an unknown field', { model: 'm', messages: [{ role: 'user', content: 'x' }], nope: 1 }],
    ['a float max_tokens', { model: 'm', messages: [{ role: 'user', content: 'x' }], max_tokens: 1.5 }],
    ['temperature 2.5', { model: 'm', messages: [{ role: 'user', content: 'x' }], temperature: 2.5 }],
    ['no messages', { model: 'm', messages: [] }],
  ])('leaves %s to the schema', (_name, value) => {
    expect(fastChatBody(value)).toBeUndefined();
  });

  it('never accepts what the schema refuses, and returns what the schema returns (20,000 generated bodies)', () => {
    const seed = 20261201;
    const r = random(seed);
    let accepted = 0;
    let refusedBySchema = 0;
    for (let i = 0; i < 20_000; i++) {
      const b = body(r);
      const fast = fastChatBody(b);
      const zod = chatCompletionSchema.safeParse(b);
      if (!zod.success) refusedBySchema++;
      if (fast === undefined) continue;
      accepted++;
      if (!zod.success)
        throw new Error(`case ${i} (seed ${seed}): accepted, the schema refuses ${JSON.stringify(b)}`);
      expect(fast, `case ${i}`).toEqual(zod.data);
    }
    // Both sides of the question were asked often enough to mean something.
    expect(accepted).toBeGreaterThan(1_000);
    expect(refusedBySchema).toBeGreaterThan(5_000);
  });
});

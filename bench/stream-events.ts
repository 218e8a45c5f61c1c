/**
 * A streamed upstream event's cost in the OpenAI-compatible adapter, in µs per event: `parseEvent` (a
 * text-only chunk read by src/inference/adapters/openai-chunk.ts, any other parsed) against
 * `parseEventJson` (every event parsed whole, as before issue 16's step). Two streams: the fixed-reply
 * upstream's 32 one-word chunks (bench/lib/fixed-upstream.mjs's shape) and the recorded Ollama stream in
 * src/inference/adapters/__fixtures__/openai/chat-stream.sse. Each stream is decoded from bytes into a fresh
 * string every time and split by the SSE decoder, as the gateway does; rounds alternate the two paths.
 *
 *   npx tsx bench/stream-events.ts [--streams 20000] [--rounds 3]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  createOpenAiCompatibleAdapter,
  parseEvent,
  parseEventJson,
} from '#src/inference/adapters/openai-compatible.js';
import { createSseDecoder } from '#src/inference/upstream/sse.js';
import { chatRequest } from '#test/inference/support.js';

const { values } = parseArgs({
  options: { streams: { type: 'string', default: '20000' }, rounds: { type: 'string', default: '3' } },
});
const STREAMS = Number(values.streams);
const ROUNDS = Number(values.rounds);
const adapter = createOpenAiCompatibleAdapter();

const chunk = (delta: Record<string, string>) =>
  `data: ${JSON.stringify({
    id: 'chatcmpl-fixed',
    object: 'chat.completion.chunk',
    created: 1795665587,
    model: 'fixed-oss-120b',
    choices: [{ index: 0, delta, finish_reason: null }],
  })}\n\n`;
const fixed = Array.from({ length: 32 }, (_, i) =>
  chunk(i === 0 ? { role: 'assistant', content: 'word1' } : { content: ` word${i + 1}` }),
).join('');
const recorded = readFileSync('src/inference/adapters/__fixtures__/openai/chat-stream.sse', 'utf8');

function perEvent(bytes: Buffer, parse: typeof parseEvent): number {
  let ms = 0;
  let events = 0;
  for (let n = 0; n < STREAMS; n++) {
    const datas = createSseDecoder().push(new TextDecoder().decode(bytes));
    const state = adapter.initStreamState(chatRequest());
    const started = performance.now();
    for (const data of datas) parse(data, state);
    ms += performance.now() - started;
    events += datas.length;
  }
  return (ms * 1000) / events;
}

for (const [name, text] of [
  ['fixed upstream (32 chunks)', fixed],
  ['recorded Ollama stream', recorded],
] as const) {
  const bytes = Buffer.from(text);
  perEvent(bytes, parseEventJson); // warm both
  perEvent(bytes, parseEvent);
  const rows: string[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const json = perEvent(bytes, parseEventJson);
    const fast = perEvent(bytes, parseEvent);
    rows.push(`${json.toFixed(3)} / ${fast.toFixed(3)}`);
  }
  console.log(`${name}: µs per event, parsed / parseEvent: ${rows.join(', ')}`);
}

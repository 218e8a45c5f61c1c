/**
 * Finding High 2 (issue #10): one oversize prompt stalled the whole process. Token counting was super-linear,
 * ran on the event loop and came before any limit was charged. With adversarial 4 MiB prompts sent 10 at a
 * time, `/healthz` must answer every poll within 100 ms and every request must be answered within 1 s; a
 * flood of oversize prompts must meet the key's requests-per-minute window (429), not 400 after 400.
 */
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';
import { usePortal, type TestPortal } from '../support/harness.js';
import { chatBody } from '../support/http.js';
import { upsertPlan } from '../support/fixtures.js';
import { hasService } from '../support/services.js';

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const MiB = 1024 * 1024;
/**
 * The bounds are the (100 ms per /healthz poll, 1 s per request), stretched by how oversubscribed the
 * machine is right now (load per core, capped at 8×): on a shared 2-core box at load 16 even an idle server
 * answers late. Before the fix the same requests took 20 s and more, so the stretched bound still tells.
 */
const busy = Math.min(8, Math.max(1, loadavg()[0]! / cpus().length));
const POLL_MS = 100 * busy;
const REQUEST_MS = 1_000 * busy;

/**
 * Random letters and digits, no spaces (what made the tokenizer quadratic). Built as one flat string: the
 * server runs in this process, and a string appended a character at a time is a chain of millions of young
 * objects whose scavenges (40–60 ms each here) held the event loop and were read as the server's stall.
 */
function alnum(length: number): string {
  const bytes = randomBytes(length);
  for (let i = 0; i < length; i++) bytes[i] = ALNUM.charCodeAt(bytes[i]! % ALNUM.length);
  return bytes.toString('latin1');
}

interface Load {
  results: Array<{ status: number; ms: number; code: string }>;
}

/**
 * Sends `bodies` at once from another thread while this thread — the server's — polls /healthz every 10 ms:
 * a poll waits exactly as long as the server's event loop is held.
 */
async function underLoad(t: TestPortal, key: string, bodies: string[]) {
  const worker = new Worker(new URL('./load-worker.mjs', import.meta.url), {
    workerData: { url: t.url, key, path: '/v1/chat/completions', bodies },
  });
  const polls: number[] = [];
  let done = false;
  const poller = (async () => {
    while (!done) {
      const started = performance.now();
      const res = await t.anon.get('/healthz');
      await res.arrayBuffer();
      polls.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  try {
    const load = await new Promise<Load>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    return { ...load, polls, slowestPoll: Math.max(...polls) };
  } finally {
    done = true;
    await poller;
    void worker.terminate();
  }
}

describe('oversize prompts do not stall the process', () => {
  // PostgreSQL when there is one: embedded PGlite writes the request logs on the server's own thread.
  const t = usePortal(() => ({ postgres: hasService('postgres') }));
  beforeAll(async () => {
    await upsertPlan(t.store, 'roomy', { rpm: 10_000, tpm: 100_000_000, rpd: 1_000_000 });
    // One ordinary request and poll first: the first case measures the prompts, not this process's first
    // request (Hono builds its router on the first match, undici starts its parser; ~40 ms here).
    const { key } = await t.account({ plan: 'roomy' });
    await (await t.anon.get('/healthz')).arrayBuffer();
    await t.as(key).post('/v1/chat/completions', chatBody());
  });

  const user = (content: string) => ({ role: 'user', content });
  it.each([
    ['4 MiB space-less prompts', () => [user(alnum(4 * MiB))], [400, 413], ''],
    // under the body limit: refused uncounted
    [
      '1.5 M-character prompts under the body limit',
      () => [user(alnum(1_500_000))],
      [400],
      'context_length_exceeded',
    ],
    [
      'prompts of 10,000 messages × 350 characters',
      () => Array.from({ length: 10_000 }, () => user(alnum(350))),
      [400, 413],
      '',
    ],
  ])(
    '10 concurrent %s: each answered within 1 s, /healthz within 100 ms',
    async (_what, messages, statuses, code) => {
      const { key } = await t.account({ plan: 'roomy' });
      const body = JSON.stringify({ model: 'oss-20b', messages: messages() });
      const load = await underLoad(t, key, Array(10).fill(body));
      for (const r of load.results) {
        expect(statuses).toContain(r.status);
        expect(r.code).toContain(code);
        expect(r.ms).toBeLessThan(REQUEST_MS);
      }
      expect(load.polls.length).toBeGreaterThan(0);
      expect(load.slowestPoll).toBeLessThan(POLL_MS);
    },
    120_000,
  );

  it('a flood of oversize prompts on a 20-rpm key gets 429 once the window is full', async () => {
    const { key } = await t.account({ plan: 'free' });
    const body = JSON.stringify({ model: 'oss-20b', prompt: alnum(MiB + 1024) });
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      const res = await t.as(key).request('POST', '/v1/completions', {
        body,
        headers: { 'content-type': 'application/json' },
      });
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 400)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429, 429, 429, 429]);
  }, 120_000);

  it('an ordinary prompt is still reserved with its exact token count', async () => {
    const { key } = await t.account({ plan: 'roomy' });
    const res = await t
      .as(key)
      .post('/v1/chat/completions', chatBody({ messages: [{ role: 'user', content: 'Hello world' }] }));
    expect(res.status).toBe(200);
    // Reserved: 2 content tokens + 4 framing + 3 reply priming, plus max_tokens.
    expect(res.headers.get('x-ratelimit-remaining-tokens')).toBe(String(100_000_000 - (9 + 8)));
  });
});

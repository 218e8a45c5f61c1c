/**
 * Streaming end to end: chunks flow as the upstream produces them, keep-alives cover a slow first token,
 * an upstream failure mid-stream becomes an error event then [DONE], and a client that goes away stops the
 * upstream — and every one of these is metered with the tokens that were really generated.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { steadySimEach, usePortal } from '../support/harness.js';
import { chatBody } from '../support/http.js';
import { upsertPlan, type TestAccount } from '../support/fixtures.js';

const t = usePortal({ config: { gateway: { firstTokenKeepAliveMs: 150 } } });
let account: TestAccount;

beforeAll(async () => {
  account = await t.account();
});
steadySimEach(t, 48);

function streamRequest(body: Record<string, unknown>, signal?: AbortSignal, key = account.key) {
  const stream = chatBody({
    messages: [{ role: 'user', content: 'Stream please.' }],
    stream: true,
    max_tokens: undefined,
  });
  return t.as(key).post('/v1/chat/completions', { ...stream, ...body }, { signal });
}

async function readAll(
  res: Response,
): Promise<{ text: string; arrivals: Array<{ at: number; frame: string }> }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const arrivals: Array<{ at: number; frame: string }> = [];
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const frame = decoder.decode(value, { stream: true });
    text += frame;
    arrivals.push({ at: performance.now(), frame });
  }
  return { text, arrivals };
}

async function usageFor(requestId: string) {
  await t.services.metering.flush();
  const rows = await t.store.query<{
    status: number;
    output_tokens: number;
    input_tokens: number;
    error_code: string | null;
    stream: boolean;
  }>(
    'select status, output_tokens, input_tokens, error_code, stream from usage_events where request_id = $1',
    [requestId],
  );
  return rows;
}

describe('streaming', () => {
  it('forwards chunks as the upstream produces them, unbuffered', async () => {
    t.sim.configure({ tokensPerSecond: 40, outputTokens: 40 });
    const res = await streamRequest({});
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    const { text, arrivals } = await readAll(res);
    const contentFrames = arrivals.filter(
      (a) => a.frame.includes('"content":"') && !a.frame.includes('"content":""'),
    );
    expect(contentFrames.length).toBeGreaterThan(10);
    // ~1 s of generation: the first token must reach the client long before the last.
    expect(contentFrames.at(-1)!.at - contentFrames[0]!.at).toBeGreaterThan(500);
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  it('sends keep-alive comments while waiting for the first token', async () => {
    t.sim.configure({ ttftMs: 800 });
    const { text } = await readAll(await streamRequest({}));
    const firstContent = text.indexOf('"content":"', text.indexOf('"content":"') + 1);
    const keepAlive = text.indexOf(': keep-alive');
    expect(keepAlive).toBeGreaterThan(-1);
    expect(keepAlive).toBeLessThan(firstContent);
  });

  it('ends with an error event then [DONE] when the upstream fails mid-stream, and meters what was generated', async () => {
    t.sim.configure({ disconnectAfterTokens: 6, outputTokens: 40, tokensPerSecond: 200 });
    const res = await streamRequest({});
    const requestId = res.headers.get('x-request-id')!;
    const { text } = await readAll(res);
    const frames = text.split('\n\n').filter(Boolean);
    expect(frames.at(-1)).toBe('data: [DONE]');
    const errorFrame = JSON.parse(frames.at(-2)!.slice('data: '.length)) as { error: { code: string } };
    expect(errorFrame.error.code).toMatch(/upstream_error|upstream_timeout/);
    const [event] = await usageFor(requestId);
    expect(event?.status).toBeGreaterThanOrEqual(500);
    expect(event?.output_tokens).toBeGreaterThan(0);
    expect(event?.output_tokens).toBeLessThanOrEqual(8);
  });

  it('stops the upstream when the client disconnects, and still meters the tokens generated', async () => {
    t.sim.configure({ tokensPerSecond: 50, outputTokens: 1000 });
    const abort = new AbortController();
    const res = await streamRequest({ max_tokens: 1000 }, abort.signal);
    const requestId = res.headers.get('x-request-id')!;
    const reader = res.body!.getReader();
    let seen = 0;
    while (seen < 5) {
      const { value } = await reader.read();
      seen += (new TextDecoder().decode(value).match(/"content":"[^"]/g) ?? []).length;
    }
    abort.abort();
    await expect.poll(() => t.sim.stats().inFlight, { timeout: 3_000 }).toBe(0);
    await expect.poll(async () => (await usageFor(requestId)).length, { timeout: 3_000 }).toBe(1);
    const [event] = await usageFor(requestId);
    expect(event?.status).toBe(499);
    expect(event?.error_code).toBe('client_disconnected');
    expect(event?.output_tokens).toBeGreaterThanOrEqual(5);
    expect(event?.output_tokens).toBeLessThan(500);
  });

  it('meters a completed stream with the upstream token counts', async () => {
    const res = await streamRequest({ stream_options: { include_usage: true } });
    const requestId = res.headers.get('x-request-id')!;
    const { text } = await readAll(res);
    const usageFrame = text
      .split('\n\n')
      .map((f) => f.slice(6))
      .filter((f) => f.startsWith('{'))
      .map((f) => JSON.parse(f) as { choices: unknown[]; usage?: { completion_tokens: number } })
      .find((f) => f.choices.length === 0);
    const [event] = await usageFor(requestId);
    expect(event?.status).toBe(200);
    expect(event?.stream).toBe(true);
    expect(event?.output_tokens).toBe(usageFrame?.usage?.completion_tokens);
  });
  it('releases the router slot after every stream: more streams in a row than a router takes at once', async () => {
    // Each router takes 64 concurrent requests; a leaked slot per stream would turn request 65 into a 503.
    await upsertPlan(t.store, 'unlimited', {});
    const roomy = await t.account({ plan: 'unlimited' });
    for (let i = 0; i < 80; i++) {
      const res = await streamRequest({ max_tokens: 4 }, undefined, roomy.key);
      expect(res.status).toBe(200);
      await res.text();
    }
    const pools = t.services.inference.snapshot();
    const inFlight = pools.flatMap((p) => p.routers).reduce((n, r) => n + r.inFlight, 0);
    expect(inFlight).toBe(0);
  });
});

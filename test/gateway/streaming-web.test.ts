/**
 * Streaming through the web sink (`app.request()`, no Node response: the answer is a web ReadableStream):
 * the same normal end, mid-stream failure and client disconnect as streaming.test.ts checks on the Node
 * sink, each metered once with what was generated.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { steadySimEach, usePortal } from '../support/harness.js';
import { bearer, chatBody, createCaller, type Caller } from '../support/http.js';

const t = usePortal();
/** The key's caller handed straight to `t.app` in-process, so the answer goes through the web sink. */
let web: Caller;

beforeAll(async () => {
  const { key } = await t.account();
  web = createCaller(async (path, init) => t.app.request(path, init), t.origin, bearer(key));
});
steadySimEach(t, 24);

// No max_tokens cap (undefined is left out of the JSON): the simulator's outputTokens sets the length.
const streamRequest = (body: Record<string, unknown> = {}) =>
  web.post('/v1/chat/completions', chatBody({ stream: true, max_tokens: undefined, ...body }));

async function usageFor(requestId: string) {
  await t.services.metering.flush();
  return t.store.query<{ status: number; output_tokens: number; error_code: string | null }>(
    'select status, output_tokens, error_code from usage_events where request_id = $1',
    [requestId],
  );
}

describe('streaming through the web sink', () => {
  it('streams the answer as SSE and ends with [DONE], metered once', async () => {
    const res = await streamRequest();
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.headers.get('x-ratelimit-remaining-requests')).toBeTruthy();
    const text = await res.text();
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    const events = await usageFor(res.headers.get('x-request-id')!);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ status: 200, error_code: null, output_tokens: 24 });
  });

  it('ends with an error event then [DONE] when the upstream fails mid-stream', async () => {
    t.sim.configure({ disconnectAfterTokens: 5, outputTokens: 40, tokensPerSecond: 200 });
    const res = await streamRequest();
    const frames = (await res.text()).split('\n\n').filter(Boolean);
    expect(frames.at(-1)).toBe('data: [DONE]');
    expect(frames.at(-2)).toMatch(/"code":"upstream_(error|timeout)"/);
    const [event] = await usageFor(res.headers.get('x-request-id')!);
    expect(event?.status).toBeGreaterThanOrEqual(500);
    expect(event?.output_tokens).toBeGreaterThan(0);
  });

  it('stops the upstream when the reader cancels, and meters the tokens generated as a 499', async () => {
    t.sim.configure({ tokensPerSecond: 50, outputTokens: 1000 });
    const res = await streamRequest({ max_tokens: 1000 });
    const requestId = res.headers.get('x-request-id')!;
    const reader = res.body!.getReader();
    let seen = 0;
    while (seen < 3) {
      const { value } = await reader.read();
      seen += (new TextDecoder().decode(value).match(/"content":"[^"]/g) ?? []).length;
    }
    await reader.cancel();
    await expect.poll(() => t.sim.stats().inFlight, { timeout: 3_000 }).toBe(0);
    await expect.poll(async () => (await usageFor(requestId)).length, { timeout: 3_000 }).toBe(1);
    const [event] = await usageFor(requestId);
    expect(event).toMatchObject({ status: 499, error_code: 'client_disconnected' });
    expect(event?.output_tokens).toBeGreaterThanOrEqual(3);
    expect(event?.output_tokens).toBeLessThan(500);
  });
});

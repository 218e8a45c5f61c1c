/**
 * Contract of the cortensor adapter and the inference service against the router simulator: every variant
 * the router API is known to have (see cortensor-router-api.md), over real HTTP.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PortalError } from '#src/platform/http/errors.js';
import { countTokens } from '#src/inference/tokens.js';
import { rejectionOf } from '../support/rejection.js';
import { piecesOf, readStream, startTestFleet, type TestFleet } from './support.js';

const rejection = (promise: Promise<unknown>) => rejectionOf(promise, PortalError);

describe('cortensor adapter against the simulator', () => {
  let fleet: TestFleet;
  beforeAll(async () => {
    fleet = await startTestFleet({ routers: 2, sim: { outputTokens: 40 } });
  });
  afterAll(() => fleet.close());
  afterEach(async () => {
    for (const sim of fleet.sims)
      sim.configure({
        miners: 1,
        usage: true,
        pendingPolls: 0,
        pendingTaskId: true,
        errorRate: 0,
        errorStatus: 500,
        retryAfterS: 0,
        hang: false,
        disconnectAfterTokens: 0,
        tokensPerSecond: 0,
      });
    await fleet.healthy();
  });

  it('returns a non-streamed answer with the router usage and the route taken', async () => {
    const c = await fleet.inference.complete(fleet.request());
    expect(c.text.split(' ').length).toBeGreaterThan(5);
    expect(c.finishReason).toBe('stop');
    expect(c.usage?.completionTokens).toBe(countTokens(c.text));
    expect(c.route.poolId).toBe('pool-a');
    expect(['router-0', 'router-1']).toContain(c.route.routerId);
  });

  it('stops at max_tokens and says so', async () => {
    const c = await fleet.inference.complete(fleet.request({ maxTokens: 7 }));
    expect(c.finishReason).toBe('length');
    expect(c.usage?.completionTokens).toBeLessThanOrEqual(7);
    expect(countTokens(c.text)).toBeLessThanOrEqual(7);
  });

  it('stops at a caller stop sequence', async () => {
    const c = await fleet.inference.complete(fleet.request({ stop: [' the', '.', ',', '?', '!', ';'] }));
    expect(c.text).not.toMatch(/ the|[.,?!;]/);
    expect(c.finishReason).toBe('stop');
  });

  it('takes the first complete choice when several miners answer', async () => {
    const single = await fleet.inference.complete(fleet.request());
    for (const sim of fleet.sims) sim.configure({ miners: 3 });
    const several = await fleet.inference.complete(fleet.request());
    expect(several.finishReason).toBe('stop');
    expect(several.text).not.toBe(single.text); // miner 0's answer is cut short: miner 1's is taken
    expect(several.usage?.completionTokens).toBe(countTokens(several.text));
  });

  it('streams pieces that add up to the non-streamed answer, ending with usage', async () => {
    const whole = await fleet.inference.complete(fleet.request());
    const stream = await fleet.inference.stream(fleet.request());
    const { text, end } = await readStream(stream.batches);
    expect(text).toBe(whole.text);
    expect(end).toMatchObject({
      finishReason: 'stop',
      usage: { completionTokens: whole.usage?.completionTokens },
    });
  });

  it('keeps the first miner stream when three interleave', async () => {
    const alone = await readStream((await fleet.inference.stream(fleet.request())).batches);
    for (const sim of fleet.sims) sim.configure({ miners: 3 });
    const interleaved = await readStream((await fleet.inference.stream(fleet.request())).batches);
    expect(interleaved.text).toBe(alone.text);
  });

  it('leaves usage out when the router sends none, streamed or not', async () => {
    for (const sim of fleet.sims) sim.configure({ usage: false });
    expect((await fleet.inference.complete(fleet.request())).usage).toBeUndefined();
    const { text, end } = await readStream((await fleet.inference.stream(fleet.request())).batches);
    expect(text.length).toBeGreaterThan(0);
    expect(end?.usage).toBeUndefined();
  });

  it('polls the task of a pending off-chain result until it is done', async () => {
    for (const sim of fleet.sims) sim.configure({ pendingPolls: 2 });
    const before = fleet.sims.map((s) => s.stats().polls);
    const c = await fleet.inference.complete(fleet.request());
    expect(c.text.length).toBeGreaterThan(0);
    expect(c.usage).toBeUndefined(); // a task record carries no usage
    const polls = fleet.sims.reduce((n, s, i) => n + s.stats().polls - before[i]!, 0);
    expect(polls).toBe(3);
  });

  it('asks again when a pending result names no task', async () => {
    for (const sim of fleet.sims) sim.configure({ pendingPolls: 1, pendingTaskId: false });
    const before = fleet.sims.map((s) => s.stats().completions);
    const c = await fleet.inference.complete(fleet.request({ requestId: `req_${Date.now()}` }));
    expect(c.text.length).toBeGreaterThan(0);
    expect(fleet.sims.reduce((n, s, i) => n + s.stats().completions - before[i]!, 0)).toBe(2);
  });

  it.each(['nested', 'string', 'message'] as const)(
    'maps the %s error shape to a generic upstream_error that leaks nothing',
    async (shape) => {
      for (const sim of fleet.sims) sim.configure({ errorRate: 1, errorShape: shape });
      const err = await rejection(fleet.inference.complete(fleet.request()));
      expect(err.code).toBe('upstream_error');
      expect(err.message).not.toMatch(/simulated|router|session/i);
    },
  );

  it('does not retry an answer the router rejected as bad (400)', async () => {
    for (const sim of fleet.sims) sim.configure({ errorRate: 1, errorStatus: 400 });
    const before = fleet.sims.map((s) => s.stats().completions);
    const err = await rejection(fleet.inference.complete(fleet.request()));
    expect(err.code).toBe('upstream_error');
    expect(fleet.sims.reduce((n, s, i) => n + s.stats().completions - before[i]!, 0)).toBe(1);
  });

  it('goes to the other router when one answers 429 with retry-after', async () => {
    fleet.sims[0]!.configure({ errorRate: 1, errorStatus: 429, retryAfterS: 1 });
    for (let i = 0; i < 4; i++) {
      const c = await fleet.inference.complete(fleet.request());
      expect(c.route.routerId).toBe('router-1');
    }
  });

  it('times out a hung router at the deadline', async () => {
    for (const sim of fleet.sims) sim.configure({ hang: true });
    const started = Date.now();
    const err = await rejection(fleet.inference.complete(fleet.request({ deadline: Date.now() + 600 })));
    expect(err.code).toBe('upstream_timeout');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('throws upstream_error from the stream when the router disconnects mid-way', async () => {
    for (const sim of fleet.sims) sim.configure({ disconnectAfterTokens: 3, tokensPerSecond: 1000 });
    const stream = await fleet.inference.stream(fleet.request());
    let text = '';
    const err = await (async () => {
      try {
        for await (const p of piecesOf(stream.batches)) if (p.type === 'text') text += p.text;
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(PortalError);
    expect((err as PortalError).code).toBe('upstream_error');
    expect(text.length).toBeGreaterThan(0);
  });

  it('ends a stream quietly when the client goes away', async () => {
    for (const sim of fleet.sims) sim.configure({ tokensPerSecond: 50 });
    const abort = new AbortController();
    const stream = await fleet.inference.stream(fleet.request({ signal: abort.signal }));
    let pieces = 0;
    for await (const p of piecesOf(stream.batches)) {
      if (p.type === 'text' && ++pieces === 2) abort.abort();
    }
    expect(pieces).toBeGreaterThanOrEqual(2);
    expect(fleet.inference.snapshot()[0]!.routers.every((r) => r.inFlight === 0)).toBe(true);
  });
  it('lets the router go when a stream is dropped unread because the client left', async () => {
    for (const sim of fleet.sims) sim.configure({ tokensPerSecond: 20 });
    const abort = new AbortController();
    await fleet.inference.stream(fleet.request({ signal: abort.signal }));
    expect(fleet.inference.snapshot()[0]!.routers.reduce((n, r) => n + r.inFlight, 0)).toBe(1);
    abort.abort();
    expect(fleet.inference.snapshot()[0]!.routers.every((r) => r.inFlight === 0)).toBe(true);
  });
});

describe.each(['v1', 'v2', 'v3'] as const)('completion path %s', (apiVersion) => {
  let fleet: TestFleet;
  beforeAll(async () => {
    fleet = await startTestFleet({ pool: { apiVersion } });
  });
  afterAll(() => fleet.close());

  it('answers streamed and non-streamed', async () => {
    expect((await fleet.inference.complete(fleet.request())).text.length).toBeGreaterThan(0);
    expect(
      (await readStream((await fleet.inference.stream(fleet.request())).batches)).end?.finishReason,
    ).toBe('stop');
  });
});

describe('openai-compatible pool against the simulator', () => {
  let fleet: TestFleet;
  beforeAll(async () => {
    fleet = await startTestFleet({
      pool: { kind: 'openai', models: [{ id: 'qwen', upstreamModel: 'Qwen/Qwen3-8B' }] },
    });
  });
  afterAll(() => fleet.close());

  it('answers through /v1/chat/completions, streamed and not, with usage', async () => {
    const whole = await fleet.inference.complete(fleet.request());
    expect(whole.usage?.completionTokens).toBe(countTokens(whole.text));
    const { text, end } = await readStream((await fleet.inference.stream(fleet.request())).batches);
    expect(text).toBe(whole.text);
    expect(end?.usage?.completionTokens).toBe(whole.usage?.completionTokens);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { PortalError } from '#src/platform/http/errors.js';
import type { StreamPiece } from '#src/inference/types.js';
import { chatStreamEncoder } from '../format/openai.js';
import { startRelay, transition, type RelayEnd, type RelayOptions, type RelayPhase } from './relay.js';
import type { SseSink } from './sinks.js';

const meta = { id: 'chatcmpl-1', model: 'oss-20b', created: 1_700_000_000 };

/** An upstream whose batches the test hands out one at a time (`push`), or fails (`fail`). */
function scriptedUpstream() {
  const waiting: Array<(r: IteratorResult<StreamPiece[]>) => void> = [];
  const failing: Array<(err: unknown) => void> = [];
  const iterator = {
    returned: 0,
    next: () =>
      new Promise<IteratorResult<StreamPiece[]>>((resolve, reject) => {
        waiting.push(resolve);
        failing.push(reject);
      }),
    return: async () => {
      iterator.returned++;
      return { done: true as const, value: undefined };
    },
  };
  return {
    iterator,
    push: (...pieces: StreamPiece[]) => (failing.shift(), waiting.shift()?.({ done: false, value: pieces })),
    done: () => (failing.shift(), waiting.shift()?.({ done: true, value: undefined })),
    fail: (err: unknown) => (waiting.shift(), failing.shift()?.(err)),
  };
}

/** A sink that records what was written and whether it was ended. */
function recordingSink() {
  const sink = {
    written: [] as string[],
    ended: 0,
    write: (frame: string) => (sink.written.push(frame), true),
    drained: () => Promise.resolve(),
    end: (last?: string) => {
      if (last) sink.written.push(last);
      sink.ended++;
    },
  };
  return sink satisfies SseSink;
}

function relayOver(
  upstream: ReturnType<typeof scriptedUpstream>,
  sink: SseSink,
  overrides: Partial<RelayOptions> = {},
) {
  const ends: RelayEnd[] = [];
  const abort = vi.fn();
  const relay = startRelay(sink, {
    batches: upstream.iterator,
    encoder: chatStreamEncoder(meta, false),
    keepAliveMs: 60_000,
    started: performance.now(),
    finish: (end) => (ends.push(end), { inputTokens: 3, outputTokens: 2 }),
    abort,
    ...overrides,
  });
  return { relay, ends, abort };
}

const settle = () => new Promise((r) => setImmediate(r));
const frames = (sink: ReturnType<typeof recordingSink>) => sink.written.join('');

afterEach(() => vi.useRealTimers());

describe('transition', () => {
  it.each<[RelayPhase, 'token' | 'end' | 'cancel', RelayPhase]>([
    ['waiting', 'token', 'streaming'],
    ['waiting', 'end', 'ended'],
    ['waiting', 'cancel', 'cancelled'],
    ['streaming', 'token', 'streaming'],
    ['streaming', 'end', 'ended'],
    ['streaming', 'cancel', 'cancelled'],
    ['ended', 'cancel', 'ended'],
    ['ended', 'end', 'ended'],
    ['cancelled', 'end', 'cancelled'],
    ['cancelled', 'token', 'cancelled'],
  ])('%s + %s -> %s', (phase, event, next) => expect(transition(phase, event)).toBe(next));
});

describe('startRelay', () => {
  it('forwards each batch as one write and finishes once with [DONE] and the counted usage at a normal end', async () => {
    const upstream = scriptedUpstream();
    const sink = recordingSink();
    const { relay, ends } = relayOver(upstream, sink);
    upstream.push({ type: 'text', text: 'Hel' }, { type: 'text', text: 'lo' });
    await settle();
    expect(sink.written).toHaveLength(1);
    expect(relay.state.phase).toBe('streaming');
    upstream.push({ type: 'end', finishReason: 'stop', usage: { promptTokens: 3, completionTokens: 2 } });
    await settle();
    expect(frames(sink).trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(sink.ended).toBe(1);
    expect(ends).toEqual([
      expect.objectContaining({
        status: 200,
        errorCode: null,
        finish: 'stop',
        text: 'Hello',
        usage: { promptTokens: 3, completionTokens: 2 },
      }),
    ]);
    expect(ends[0]!.ttftMs).not.toBeNull();
    // The client's close after a normal end is not a disconnect: nothing is finished twice.
    await relay.cancel();
    expect(ends).toHaveLength(1);
    expect(upstream.iterator.returned).toBe(1);
  });

  it('ends with an error event then [DONE] when the upstream fails mid-stream, finishing once with what was generated', async () => {
    const upstream = scriptedUpstream();
    const sink = recordingSink();
    const { ends } = relayOver(upstream, sink);
    upstream.push({ type: 'text', text: 'partial' });
    await settle();
    upstream.fail(
      new PortalError({ code: 'upstream_error', message: 'The model server stopped answering mid-stream.' }),
    );
    await settle();
    const events = frames(sink).split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    expect(events.at(-2)).toContain('"code":"upstream_error"');
    expect(sink.ended).toBe(1);
    expect(ends).toEqual([
      expect.objectContaining({ status: 502, errorCode: 'upstream_error', finish: 'error', text: 'partial' }),
    ]);
  });

  it('treats an upstream that stops without an end piece as a cut: a 502 error event', async () => {
    const upstream = scriptedUpstream();
    const sink = recordingSink();
    const { ends } = relayOver(upstream, sink);
    upstream.done();
    await settle();
    expect(frames(sink)).toContain('ended the answer early');
    expect(ends).toEqual([expect.objectContaining({ status: 502, errorCode: 'upstream_error' })]);
  });

  it('stops the upstream when the client disconnects mid-stream, finishes once with 499 and writes nothing more', async () => {
    const upstream = scriptedUpstream();
    const sink = recordingSink();
    const { relay, ends, abort } = relayOver(upstream, sink);
    upstream.push({ type: 'text', text: 'some' });
    await settle();
    await relay.cancel();
    await relay.cancel();
    expect(abort).toHaveBeenCalledTimes(1);
    expect(ends).toEqual([
      expect.objectContaining({ status: 499, errorCode: 'client_disconnected', text: 'some' }),
    ]);
    // What the aborted upstream still delivers, or how it fails, is neither written nor finished again.
    upstream.fail(new PortalError({ code: 'upstream_error', message: 'The request was cancelled.' }));
    await settle();
    expect(sink.written).toHaveLength(1);
    expect(sink.ended).toBe(0);
    expect(ends).toHaveLength(1);
  });

  it('sends keep-alives only until the first token', async () => {
    vi.useFakeTimers();
    const upstream = scriptedUpstream();
    const sink = recordingSink();
    relayOver(upstream, sink, { keepAliveMs: 100 });
    vi.advanceTimersByTime(250);
    expect(sink.written).toEqual([': keep-alive\n\n', ': keep-alive\n\n']);
    upstream.push({ type: 'text', text: 'hi' });
    await vi.advanceTimersByTimeAsync(0);
    vi.advanceTimersByTime(500);
    expect(sink.written).toHaveLength(3);
    expect(sink.written[2]).toContain('"content":"hi"');
  });

  it('ends the answer and finishes once with 500 when the relay itself fails (a bug, not the upstream)', async () => {
    const upstream = scriptedUpstream();
    const sink = recordingSink();
    const encoder = {
      ...chatStreamEncoder(meta, false),
      text: () => {
        throw new Error('bug');
      },
    };
    const { ends } = relayOver(upstream, sink, { encoder });
    upstream.push({ type: 'text', text: 'x' });
    await settle();
    expect(sink.ended).toBe(1);
    expect(ends).toEqual([expect.objectContaining({ status: 500, errorCode: 'internal_error' })]);
  });
});

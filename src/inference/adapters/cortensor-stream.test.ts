import { describe, expect, it } from 'vitest';
import { chatRequest, fixture, replay } from '#test/inference/support.js';
import { countTokens } from '../tokens.js';
import { cortensorAdapter } from './cortensor.js';

const request = chatRequest();

describe('cortensor SSE parsing (recorded fixtures)', () => {
  it('streams choices[0].text pieces and ends with the upstream usage', () => {
    const r = replay(cortensorAdapter, request, fixture('cortensor/stream-basic.sse'));
    expect(r.failure).toBeUndefined();
    expect(r.text.length).toBeGreaterThan(20);
    expect(r.end).toMatchObject({ finishReason: 'stop', usage: { promptTokens: 24, completionTokens: 12 } });
    expect(countTokens(r.text)).toBe(12);
  });

  it('keeps only the first miner stream when several interleave', () => {
    const body = fixture('cortensor/stream-interleaved.sse');
    const r = replay(cortensorAdapter, request, body);
    const firstMiner = [...body.matchAll(/"id":"(cmpl-\d+-0)".*?"text":"((?:[^"\\]|\\.)*)"/g)]
      .map((m) => m[2])
      .join('');
    expect(r.text).toBe(firstMiner);
    expect(r.end?.finishReason).toBe('stop');
  });

  it('follows the stream that starts first even when it is not miner 0 and task ids differ', () => {
    const r = replay(cortensorAdapter, request, fixture('cortensor/stream-interleaved-task-ids.sse'), 3);
    expect(r.text).toBe('Beta one');
    expect(r.end?.finishReason).toBe('length');
  });

  it('ends without usage when the router sends none (the gateway counts)', () => {
    const r = replay(cortensorAdapter, request, fixture('cortensor/stream-no-usage.sse'));
    expect(r.end).toMatchObject({ finishReason: 'length' });
    expect(r.end?.usage).toBeUndefined();
    expect(countTokens(r.text)).toBe(5);
  });

  it('reads CRLF lines and ignores keep-alive comments', () => {
    const r = replay(cortensorAdapter, request, fixture('cortensor/stream-keepalive-crlf.sse'), 5);
    expect(r.text).toBe('Hello there, friend.');
    expect(r.end?.usage).toEqual({ promptTokens: 9, completionTokens: 4 });
  });

  it('reports an error event as a failure after the text already sent', () => {
    const r = replay(cortensorAdapter, request, fixture('cortensor/stream-error.sse'));
    expect(r.text).toBe('Partial answer');
    expect(r.failure).toContain('miner 0x12 lost');
    expect(r.end).toBeUndefined();
  });

  it('reports a stream cut before its finish as a failure', () => {
    const r = replay(cortensorAdapter, request, fixture('cortensor/stream-cut.sse'));
    expect(r.text).toBe('The stream stops');
    expect(r.failure).toBe('stream cut short');
  });

  it('cuts the answer at a chat-template stop sequence split across events', () => {
    const r = replay(cortensorAdapter, request, fixture('cortensor/stream-stop-leak.sse'), 11);
    expect(r.text).toBe('Sure, done.');
    expect(r.end?.finishReason).toBe('stop');
  });
});

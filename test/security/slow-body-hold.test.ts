/**
 * Finding Medium 7 (issue #10): slow bodies held connections forever (`server.requestTimeout = 0`). A client
 * that trickles its headers or its body is now disconnected once `server.headersTimeoutMs` /
 * `server.requestTimeoutMs` pass; connections are capped at `server.maxConnections`; and an answer streamed
 * for longer than the request timeout still completes (Node's timeout covers receiving the request only).
 */
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { usePortal } from '../support/harness.js';
import { chatBody } from '../support/http.js';

const HEADERS_MS = 1_000;
const REQUEST_MS = 1_500;

/** Writes `chunks` one every `everyMs` until the server closes the socket; resolves with when it closed. */
function trickle(
  url: string,
  chunks: string[],
  everyMs: number,
): Promise<{ closedAfterMs: number; reply: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const started = performance.now();
    let reply = '';
    const socket: Socket = connect(Number(port), hostname);
    let i = 0;
    const timer = setInterval(() => {
      if (i < chunks.length && !socket.destroyed) socket.write(chunks[i++]!);
    }, everyMs);
    socket.on('data', (d) => (reply += d.toString()));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ closedAfterMs: performance.now() - started, reply });
    });
  });
}

describe('slow clients', () => {
  const t = usePortal({
    sim: { tokensPerSecond: 10 },
    config: { server: { headersTimeoutMs: HEADERS_MS, requestTimeoutMs: REQUEST_MS, maxConnections: 20 } },
  });

  it('a client trickling its headers is disconnected after the headers timeout', async () => {
    const head = `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nX-Slow: ${'a'.repeat(200)}`;
    const result = await trickle(t.url, head.split(''), 100);
    expect(result.closedAfterMs).toBeLessThan(HEADERS_MS + 3_000);
  }, 30_000);

  it('a client trickling its body is disconnected after the request timeout', async () => {
    const { key } = await t.account();
    const head = `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`;
    const result = await trickle(t.url, [head, ...'{"model":"oss-20b",'.repeat(50).split('')], 100);
    expect(result.closedAfterMs).toBeLessThan(REQUEST_MS + 3_000);
  }, 30_000);

  it('connections past the cap are refused', async () => {
    const { hostname, port } = new URL(t.url);
    const open: Socket[] = [];
    for (let i = 0; i < 20; i++) {
      const s = connect(Number(port), hostname);
      s.on('error', () => {});
      open.push(s);
      await new Promise((r) => s.once('connect', r));
    }
    const extra = connect(Number(port), hostname);
    extra.on('error', () => {});
    const closed = await new Promise<boolean>((resolve) => {
      extra.once('close', () => resolve(true));
      setTimeout(() => resolve(false), 1_000);
    });
    for (const s of open) s.destroy();
    extra.destroy();
    expect(closed).toBe(true);
    // Let the server see them go before the next case connects.
    const count = () => new Promise<number>((r) => t.portal.server.getConnections((_e, n) => r(n)));
    while ((await count()) > 0) await new Promise((r) => setTimeout(r, 20));
  }, 30_000);

  it('an answer streamed for longer than the request timeout completes', async () => {
    const { key } = await t.account({ plan: 'pro' });
    const started = performance.now();
    const story = chatBody({ messages: [{ role: 'user', content: 'tell me a story' }], max_tokens: 30 });
    const res = await t.as(key).post('/v1/chat/completions', { ...story, stream: true });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(performance.now() - started).toBeGreaterThan(REQUEST_MS + 500);
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  }, 30_000);
});

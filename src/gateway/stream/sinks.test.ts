import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeSink, SSE_HEADERS, webSink } from './sinks.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A real HTTP server whose one answer is written by `answer` on the Node response. */
async function serve(answer: (res: ServerResponse) => void): Promise<string> {
  server = createServer((_req, res) => answer(res));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

describe('nodeSink', () => {
  it('writes the SSE head, the first frames, every frame and the last ones, then ends the answer', async () => {
    const url = await serve((res) => {
      const sink = nodeSink(res, 'data: start\n\n');
      expect(sink.write('data: one\n\n')).toBe(true);
      setTimeout(() => sink.end('data: [DONE]\n\n'), 5);
    });
    const res = await fetch(url);
    expect(res.status).toBe(200);
    for (const [name, value] of Object.entries(SSE_HEADERS)) expect(res.headers.get(name)).toBe(value);
    expect(await res.text()).toBe('data: start\n\ndata: one\n\ndata: [DONE]\n\n');
  });

  it('sends the corked head and first frames on the next tick even when nothing else is written', async () => {
    let end: (() => void) | undefined;
    const url = await serve((res) => {
      const sink = nodeSink(res, ': first\n\n');
      end = () => sink.end();
    });
    const res = await fetch(url);
    const reader = res.body!.getReader();
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toBe(': first\n\n');
    end!();
    expect((await reader.read()).done).toBe(true);
  });
});

describe('webSink', () => {
  it('enqueues the first frames, every frame and the last ones in order, then closes the stream', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const sink = webSink(controller, 'data: start\n\n');
        expect(sink.write('data: one\n\n')).toBe(true);
        sink.end('data: [DONE]\n\n');
      },
    });
    expect(await new Response(body).text()).toBe('data: start\n\ndata: one\n\ndata: [DONE]\n\n');
  });
});

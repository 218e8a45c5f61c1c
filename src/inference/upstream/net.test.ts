import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cancellation } from '#src/platform/cancellation.js';
import { createUpstreamClient, UpstreamCallError, type OpenStream } from './net.js';

/** A local upstream whose answer per path is a handler; `closedEarly` holds the paths whose answer was cut off. */
type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const handlers = new Map<string, Handler>();
const closedEarly = new Set<string>();
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    res.on('close', () => {
      if (!res.writableFinished) closedEarly.add(path);
    });
    const handler = handlers.get(path);
    if (!handler) return void res.writeHead(404).end('no handler');
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

let n = 0;
/** A fresh path served by `handler`. */
function route(handler: Handler): string {
  const path = `/r${++n}`;
  handlers.set(path, handler);
  return `${base}${path}`;
}
const post = (url: string, body = '{"q":1}') => ({
  method: 'POST' as const,
  url,
  headers: { 'content-type': 'application/json' },
  body,
});
const soon = (ms = 5_000) => ({ deadline: Date.now() + ms });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function failure(p: Promise<unknown>): Promise<UpstreamCallError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UpstreamCallError);
  return err as UpstreamCallError;
}

async function readAll(stream: OpenStream): Promise<string> {
  let text = '';
  for await (const chunk of stream.chunks) text += chunk;
  return text;
}

const net = createUpstreamClient({ idleTimeoutMs: 300, maxBodyBytes: 64 * 1024 });
afterAll(() => net.close());

describe('upstream client: whole answers', () => {
  it('returns the status, the headers flattened and lower-cased, and the body the request asked for', async () => {
    const url = route((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        res.setHeader('X-Multi', ['a', 'b']);
        res.setHeader('Retry-After', '3');
        res.writeHead(429, { 'content-type': 'application/json' });
        // Split inside a multi-byte character: the answer is decoded whole.
        const bytes = Buffer.from(`{"echo":${JSON.stringify(`${req.method} ${body}`)},"t":"日本"}`);
        res.write(bytes.subarray(0, bytes.length - 4));
        setTimeout(() => res.end(bytes.subarray(bytes.length - 4)), 10);
      });
    });
    const answer = await net.send(post(url, '{"hello":"é"}'), soon());
    expect(answer.status).toBe(429);
    expect(answer.headers['retry-after']).toBe('3');
    expect(answer.headers['x-multi']).toBe('a, b');
    expect(answer.headers['content-type']).toBe('application/json');
    expect(JSON.parse(answer.body)).toEqual({ echo: 'POST {"hello":"é"}', t: '日本' });
  });

  it('refuses an answer declared larger than the limit, and one that grows past it', async () => {
    const declared = route((_req, res) => {
      res.writeHead(200, { 'content-length': String(65 * 1024) });
      res.write('x'.repeat(1024));
    });
    const grown = route((_req, res) => {
      res.writeHead(200);
      for (let i = 0; i < 80; i++) res.write('y'.repeat(1024));
      res.end();
    });
    for (const url of [declared, grown]) {
      const err = await failure(net.send(post(url), soon()));
      expect(err.failure).toMatchObject({ kind: 'error', retryable: true, detail: 'answer too large' });
      expect(err.aborted).toBe(false);
    }
  });

  it('times out a body that stops arriving (idle), retryably', async () => {
    const url = route((_req, res) => {
      res.writeHead(200);
      res.write('{"partial":');
    });
    const err = await failure(net.send(post(url), soon()));
    expect(err.failure).toMatchObject({ kind: 'timeout', retryable: true });
  });

  it('stops at the deadline, before the headers and while a slow body still trickles in', async () => {
    const silent = route(() => {});
    const trickle = route((_req, res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write('.'), 50);
      res.on('close', () => clearInterval(timer));
    });
    for (const url of [silent, trickle]) {
      const started = Date.now();
      const err = await failure(net.send(post(url), soon(250)));
      expect(err.failure).toMatchObject({ kind: 'timeout', retryable: false, detail: 'deadline passed' });
      expect(Date.now() - started).toBeLessThan(2_000);
    }
  });

  it('gives up when the client goes away, before or during the call, and closes the connection', async () => {
    // The gateway's Cancellation and a plain AbortController, each as the call's signal.
    for (const make of [() => new Cancellation(), () => new AbortController()]) {
      const url = route((_req, res) => {
        res.writeHead(200);
        res.write('{');
      });
      const gone = make();
      gone.abort();
      expect((await failure(net.send(post(url), { ...soon(), signal: gone.signal }))).aborted).toBe(true);

      const leaving = make();
      const pending = net.send(post(url), { ...soon(), signal: leaving.signal });
      await sleep(50);
      leaving.abort();
      const err = await failure(pending);
      expect(err.aborted).toBe(true);
      expect(err.failure).toMatchObject({ retryable: false, detail: 'client went away' });
      await sleep(50);
      expect(closedEarly.has(new URL(url).pathname)).toBe(true);
    }
  });

  it('reports a refused connection as unavailable, retryably', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const err = await failure(net.send(post(`http://127.0.0.1:${port}/x`), soon()));
    expect(err.failure).toMatchObject({ kind: 'unavailable', retryable: true });
  });
});

describe('upstream client: streams', () => {
  it('resolves at the headers and yields the body as decoded text, in order, as it arrives', async () => {
    let release: () => void = () => {};
    const url = route((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const bytes = Buffer.from('data: é日本😀\n\n');
      res.write(bytes.subarray(0, 8)); // ends inside "日"
      release = () => res.end(bytes.subarray(8));
    });
    const stream = await net.open(post(url), soon());
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream');
    const it = stream.chunks[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.done).toBe(false);
    release();
    let text = first.value as string;
    for (let r = await it.next(); !r.done; r = await it.next()) text += r.value;
    expect(text).toBe('data: é日本😀\n\n');
  });

  it('reads a large stream intact when its reader is slower than the upstream', async () => {
    const piece = 'z'.repeat(16 * 1024);
    const url = route((_req, res) => {
      res.writeHead(200);
      for (let i = 0; i < 256; i++) res.write(piece); // 4 MB, far past the whole-answer limit
      res.end('!');
    });
    const stream = await net.open(post(url), soon());
    let size = 0;
    let last = '';
    let reads = 0;
    for await (const chunk of stream.chunks) {
      size += chunk.length;
      last = chunk;
      if (++reads % 16 === 0) await sleep(1);
    }
    expect(size).toBe(256 * piece.length + 1);
    expect(last.endsWith('!')).toBe(true);
  });

  it('fails a stream that goes silent (idle) and one the client leaves, and cancel() closes the connection', async () => {
    const stalls = route((_req, res) => {
      res.writeHead(200);
      res.write('data: 1\n\n');
    });
    const idle = await net.open(post(stalls), soon());
    const idleErr = await failure(readAll(idle));
    expect(idleErr.failure).toMatchObject({ kind: 'timeout', retryable: true });

    const leaving = new AbortController();
    const left = await net.open(post(stalls), { ...soon(), signal: leaving.signal });
    setTimeout(() => leaving.abort(), 50);
    expect((await failure(readAll(left))).aborted).toBe(true);

    const endless = route((_req, res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write('data: x\n\n'), 10);
      res.on('close', () => clearInterval(timer));
    });
    const cancelled = await net.open(post(endless), soon());
    await cancelled.chunks[Symbol.asyncIterator]().next();
    cancelled.cancel();
    await sleep(100);
    expect(closedEarly.has(new URL(endless).pathname)).toBe(true);
  });

  it('stops a stream at the deadline', async () => {
    const url = route((_req, res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write('data: x\n\n'), 20);
      res.on('close', () => clearInterval(timer));
    });
    const stream = await net.open(post(url), soon(250));
    const err = await failure(readAll(stream));
    expect(err.failure).toMatchObject({ kind: 'timeout', retryable: false, detail: 'deadline passed' });
  });
});

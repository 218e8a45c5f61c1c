/**
 * A small round-robin balancer in front of the Portal instances, as a cloud load balancer would be: one
 * new upstream connection per request (no keep-alive races with a draining instance), a request whose
 * connection is refused (instance down, nothing sent) goes to the next instance, and a backend lost after
 * the request was sent is answered 502 `balancer_backend_lost` (or the stream is cut) — the soak counts those
 * apart, as what a client sees when an instance is SIGKILLed under it. `x-soak-backend` names the instance.
 */
import {
  request as httpRequest,
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';

export interface Balancer {
  url: string;
  /** Instance index → its port; null while the instance is down. */
  setBackend(index: number, port: number | null): void;
  close(): Promise<void>;
}

const RETRYABLE = new Set(['ECONNREFUSED', 'ECONNRESET_BEFORE_SEND']);

export async function startBalancer(ports: Array<number | null>): Promise<Balancer> {
  const backends = [...ports];
  let next = 0;

  function pick(tried: Set<number>): number | undefined {
    for (let i = 0; i < backends.length; i++) {
      const index = (next + i) % backends.length;
      if (backends[index] !== null && !tried.has(index)) {
        next = index + 1;
        return index;
      }
    }
    return undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const tried = new Set<number>();
    for (;;) {
      const index = pick(tried);
      if (index === undefined) {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'balancer_no_backend', message: 'no instance up' } }));
        return;
      }
      tried.add(index);
      const outcome = await forward(index, req, body, res);
      if (outcome === 'done') return;
    }
  }

  function forward(index: number, req: IncomingMessage, body: Buffer, res: ServerResponse) {
    return new Promise<'done' | 'retry'>((resolve) => {
      const headers = { ...req.headers, connection: 'close', 'content-length': String(body.length) };
      const up = httpRequest(
        {
          host: '127.0.0.1',
          port: backends[index] ?? 1,
          method: req.method,
          path: req.url,
          headers,
          agent: false,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'x-soak-backend': String(index) });
          answer.pipe(res);
          answer.on('error', () => res.destroy());
          answer.on('aborted', () => res.destroy());
          res.on('close', () => answer.destroy());
          answer.on('end', () => resolve('done'));
          answer.on('close', () => resolve('done'));
        },
      );
      let sent = false;
      up.on('finish', () => (sent = true));
      up.on('error', (err: NodeJS.ErrnoException) => {
        if (res.headersSent) return res.destroy();
        if (!sent || RETRYABLE.has(err.code ?? '')) return resolve('retry');
        res.writeHead(502, { 'content-type': 'application/json', 'x-soak-backend': String(index) });
        res.end(JSON.stringify({ error: { code: 'balancer_backend_lost', message: err.message } }));
        resolve('done');
      });
      res.on('close', () => {
        if (!res.writableFinished) up.destroy();
      });
      up.end(body);
    });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    setBackend(index, p) {
      backends[index] = p;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A TCP proxy in front of the real Redis that a test can break without touching the shared server:
 * 'pass' forwards, 'refuse' drops every connection (Redis down), 'hang' accepts and swallows bytes
 * (Redis stuck), 'slow' forwards but holds Redis's replies back `slowMs` (Redis up, answering late: the
 * command runs, its answer arrives after the caller's timeout). Listens on 127.0.0.1, port 0.
 */
import net from 'node:net';

export type ProxyMode = 'pass' | 'refuse' | 'hang' | 'slow';

export interface TcpProxy {
  url: string;
  set(mode: ProxyMode): void;
  /** How long 'slow' holds each reply back (default 500 ms). */
  slowMs: number;
  close(): Promise<void>;
}

export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const sockets = new Set<net.Socket>();
  let mode: ProxyMode = 'pass';

  const server = net.createServer((client) => {
    if (mode === 'refuse') return void client.destroy();
    const upstream = net.connect(Number(target.port || 6379), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    const passes = () => mode === 'pass' || mode === 'slow';
    client.on('data', (chunk) => void (passes() && upstream.write(chunk)));
    upstream.on('data', (chunk) => {
      if (mode === 'pass') client.write(chunk);
      else if (mode === 'slow') setTimeout(() => client.writable && client.write(chunk), proxy.slowMs);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;

  const proxy: TcpProxy = {
    slowMs: 500,
    url: `redis://127.0.0.1:${port}`,
    set(next) {
      mode = next;
      if (next === 'refuse') for (const s of sockets) s.destroy();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}

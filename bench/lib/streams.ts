/**
 * Holds N streamed chat completions open against a server at once and reports the server's RSS while they are
 * all open (max of several /proc samples), then aborts them. The upstream must be slow enough (tokens per
 * second) for every stream to still be running when the last one starts.
 */
import { Agent, request } from 'node:http';
import type { Child } from './procs.js';

export interface StreamsResult {
  opened: number;
  failed: number;
  idleRssMb: number;
  peakRssMb: number;
  openMs: number;
}

export async function holdStreams(options: {
  url: string;
  key: string;
  model: string;
  count: number;
  server: Child;
  sampleMs?: number;
}): Promise<StreamsResult> {
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const idleRssMb = options.server.rss() / 2 ** 20;
  const body = JSON.stringify({
    model: options.model,
    messages: [{ role: 'user', content: 'Tell me a long story.' }],
    max_tokens: 120,
    stream: true,
  });
  const url = new URL('/v1/chat/completions', options.url);
  const requests: ReturnType<typeof request>[] = [];
  let failed = 0;
  const started = performance.now();
  const firstChunks = Array.from(
    { length: options.count },
    () =>
      new Promise<void>((resolve) => {
        const req = request(
          url,
          {
            method: 'POST',
            agent,
            headers: {
              authorization: `Bearer ${options.key}`,
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
            },
          },
          (res) => {
            if (res.statusCode !== 200) failed++;
            res.once('data', () => resolve());
            res.on('data', () => {});
            res.once('end', () => resolve());
          },
        );
        req.on('error', () => {
          failed++;
          resolve();
        });
        req.end(body);
        requests.push(req);
      }),
  );
  await Promise.all(firstChunks);
  const openMs = performance.now() - started;
  let peak = 0;
  const end = performance.now() + (options.sampleMs ?? 3_000);
  while (performance.now() < end) {
    peak = Math.max(peak, options.server.rss());
    await new Promise((r) => setTimeout(r, 250));
  }
  for (const req of requests) req.destroy();
  agent.destroy();
  return { opened: options.count - failed, failed, idleRssMb, peakRssMb: peak / 2 ** 20, openMs };
}

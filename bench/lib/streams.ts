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
  /** Streams whose first bytes arrived (the rest were still waiting when the RSS was sampled). */
  begun: number;
  /** Streams that had already ended when the RSS was sampled (should be 0: the upstream is too slow). */
  ended: number;
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
  /** Give up waiting for every stream's first bytes after this long (default 90 s). */
  startTimeoutMs?: number;
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
  let ended = 0;
  let begun = 0;
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
            res.once('data', () => {
              begun++;
              resolve();
            });
            res.on('data', () => {});
            res.once('end', () => {
              ended++;
              resolve();
            });
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
  let timer: NodeJS.Timeout | undefined;
  const startLimit = new Promise<void>(
    (resolve) => (timer = setTimeout(resolve, options.startTimeoutMs ?? 90_000)),
  );
  await Promise.race([Promise.all(firstChunks), startLimit]);
  clearTimeout(timer);
  const openMs = performance.now() - started;
  let peak = 0;
  const end = performance.now() + (options.sampleMs ?? 3_000);
  while (performance.now() < end) {
    peak = Math.max(peak, options.server.rss());
    await new Promise((r) => setTimeout(r, 250));
  }
  const endedEarly = ended;
  for (const req of requests) req.destroy();
  agent.destroy();
  return {
    begun,
    opened: options.count - failed,
    failed,
    ended: endedEarly,
    idleRssMb,
    peakRssMb: peak / 2 ** 20,
    openMs,
  };
}

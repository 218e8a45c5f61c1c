/**
 * What the kernel records per request after the answer (src/platform/http/kernel.ts), in µs per request:
 * the access line through the process logger (with its redaction) against `accessLoggerOf` (without), both to
 * /dev/null through pino's asynchronous destination; and the HTTP metrics through prom-client's labelled
 * `inc` / `observe` against `httpRecorder`'s slots. Rounds alternate the two sides.
 *
 *   npx tsx bench/access-line.ts [--lines 200000] [--rounds 3]
 */
import { openSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import client from 'prom-client';
import { accessLoggerOf, createLogger } from '#src/platform/log.js';
import { createMetrics, httpRecorder } from '#src/platform/metrics.js';

const { values } = parseArgs({
  options: { lines: { type: 'string', default: '200000' }, rounds: { type: 'string', default: '3' } },
});
const N = Number(values.lines);
const ROUNDS = Number(values.rounds);

const destination = pino.destination({ dest: openSync('/dev/null', 'w'), sync: false });
const processLog = createLogger({ level: 'info', destination: destination as never });
const accessLog = accessLoggerOf(processLog);
const line = {
  requestId: 'req_0mx69w4j1p5ohfprbbdfvvq',
  method: 'POST',
  route: '/v1/chat/completions',
  status: 200,
  ms: 3,
};

const registry = new client.Registry();
const counter = new client.Counter({
  name: 'a_total',
  help: 'a',
  labelNames: ['route', 'status'],
  registers: [registry],
});
const histogram = new client.Histogram({
  name: 'b_seconds',
  help: 'b',
  labelNames: ['route'],
  buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120],
  registers: [registry],
});
const record = httpRecorder(createMetrics());
const ROUTES = ['/v1/chat/completions', '/v1/models', '/healthz'];

function perCall(run: (i: number) => void): number {
  const started = performance.now();
  for (let i = 0; i < N; i++) run(i);
  return ((performance.now() - started) * 1000) / N;
}

const cases: Array<[string, (i: number) => void, (i: number) => void]> = [
  [
    'access line, redacted / accessLoggerOf',
    () => processLog.info(line, 'request'),
    () => accessLog.info(line, 'request'),
  ],
  [
    'HTTP metrics, prom-client labels / httpRecorder',
    (i) => {
      const route = ROUTES[i % 3] as string;
      counter.inc({ route, status: '200' });
      histogram.observe({ route }, (i % 100) / 1000);
    },
    (i) => record(ROUTES[i % 3] as string, 200, (i % 100) / 1000),
  ],
];
for (const [name, before, after] of cases) {
  perCall(before); // warm both
  perCall(after);
  const rows: string[] = [];
  for (let r = 0; r < ROUNDS; r++) rows.push(`${perCall(before).toFixed(3)} / ${perCall(after).toFixed(3)}`);
  console.log(`${name}, µs per request: ${rows.join(', ')}`);
}
destination.flushSync();

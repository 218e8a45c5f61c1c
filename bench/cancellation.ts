/**
 * What a request's cancellation costs (src/platform/cancellation.ts), in µs per request: an AbortController
 * with its signal, one `abort` listener added once and removed (what undici's request() does with the
 * signal), against a Cancellation doing the same. Signals are kept in a ring so neither loop is optimised away.
 *
 *   npx tsx bench/cancellation.ts [--requests 300000] [--rounds 3]
 */
import { parseArgs } from 'node:util';
import { Cancellation, type CancelSignal } from '#src/platform/cancellation.js';

const { values } = parseArgs({
  options: { requests: { type: 'string', default: '300000' }, rounds: { type: 'string', default: '3' } },
});
const N = Number(values.requests);
const ROUNDS = Number(values.rounds);
const ring: CancelSignal[] = new Array<CancelSignal>(1024);

function perRequest(make: () => CancelSignal): number {
  const started = performance.now();
  for (let i = 0; i < N; i++) {
    const signal = make();
    const listener = () => {};
    signal.addEventListener('abort', listener, { once: true });
    signal.removeEventListener('abort', listener);
    ring[i & 1023] = signal;
  }
  return ((performance.now() - started) * 1000) / N;
}

const controller = () => new AbortController().signal;
const cancellation = () => new Cancellation().signal;
perRequest(controller);
perRequest(cancellation);
const rows: string[] = [];
for (let r = 0; r < ROUNDS; r++)
  rows.push(`${perRequest(controller).toFixed(3)} / ${perRequest(cancellation).toFixed(3)}`);
console.log(`µs per request, AbortController / Cancellation: ${rows.join(', ')}`);

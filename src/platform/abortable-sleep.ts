import type { CancelSignal } from './cancellation.js';

/** Waits `ms` milliseconds, or less when `signal` aborts first; never rejects, so callers check the signal. */
export function abortableSleep(ms: number, signal: CancelSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

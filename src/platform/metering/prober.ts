/**
 * The store prober: while metering spools, pings the store every `intervalMs` (each ping bounded by
 * `timeoutMs`) until one answers, then calls `onReachable` once and stops. `start()` while a probe is pending
 * is a no-op; after `stop()` nothing is scheduled again.
 */
import { withTimeout } from './with-timeout.js';

export interface ProberOptions {
  ping: () => Promise<unknown>;
  intervalMs: number;
  timeoutMs: number;
  onReachable: () => void;
}

export interface Prober {
  start(): void;
  stop(): void;
}

export function createProber(options: ProberOptions): Prober {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  async function probe() {
    timer = undefined;
    try {
      await withTimeout(options.ping(), options.timeoutMs);
    } catch {
      start();
      return;
    }
    if (!stopped) options.onReachable();
  }

  function start() {
    if (timer || stopped) return;
    // probe() catches the ping's failure itself and ends in onReachable or the next tick.
    timer = setTimeout(() => void probe(), options.intervalMs);
    timer.unref();
  }

  return {
    start,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}

/**
 * An injected clock for code that takes `now` (the limiter's `consume(limits, now)`, the key cache's
 * `now: () => number`, the password guard's `begin(subject, address, now)` …): a test moves time with
 * `advance()` instead of sleeping, so it neither waits nor depends on the machine's speed.
 *
 * @example
 *   const clock = testClock();
 *   const cache = new KeyCache({ …, now: clock.now });
 *   clock.advance(60_000); // the entry is stale now, without a minute's sleep
 */
import { vi } from 'vitest';

export interface TestClock {
  /** The current test time in epoch ms; a bound function, pass it where `now: () => number` is taken. */
  now: () => number;
  advance(ms: number): number;
  set(epochMs: number): void;
}

/** Starts at `start` (a fixed, round epoch by default so failures print readable times). */
export function testClock(start = Date.UTC(2026, 0, 1)): TestClock {
  let current = start;
  return {
    now: () => current,
    advance(ms) {
      if (ms < 0) throw new Error('a test clock only moves forward');
      current += ms;
      return current;
    },
    set(epochMs) {
      current = epochMs;
    },
  };
}

/**
 * Moves the process's wall clock (`Date` only; timers keep real time and the clock keeps ticking) `ms`
 * ahead, for in-process code that reads `Date.now()` as its default `now` — e.g. the gateway's
 * `keys.verify(presented, now = Date.now())` — where no clock can be passed in from a test. Returns the
 * undo; call it in a `finally`.
 */
export function jumpWallClock(ms: number): () => void {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + ms, shouldAdvanceTime: true });
  return () => vi.useRealTimers();
}

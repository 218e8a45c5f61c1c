/**
 * A circuit breaker per router: closed while it answers; open after `failureThreshold` consecutive
 * failures (requests or probes); after `openMs` it is half-open and the next health probe is the trial: a
 * success closes it, a failure opens it again. Time is passed in, so it is a pure machine.
 */
export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerSnapshot {
  state: BreakerState;
  consecutiveFailures: number;
  openedAt: number | null;
}

export interface Breaker {
  state(now: number): BreakerState;
  onSuccess(): void;
  onFailure(now: number): void;
  /** When a blocked router may be tried again (epoch ms). */
  reopensAt(): number;
  snapshot(now: number): BreakerSnapshot;
}

export function createBreaker(options: { failureThreshold: number; openMs: number }): Breaker {
  let failures = 0;
  let openedAt: number | null = null;
  const state = (now: number): BreakerState =>
    openedAt === null ? 'closed' : now - openedAt >= options.openMs ? 'half_open' : 'open';
  return {
    state,
    onSuccess() {
      failures = 0;
      openedAt = null;
    },
    onFailure(now) {
      failures++;
      if (openedAt !== null || failures >= options.failureThreshold) openedAt = now;
    },
    reopensAt: () => (openedAt === null ? 0 : openedAt + options.openMs),
    snapshot: (now) => ({ state: state(now), consecutiveFailures: failures, openedAt }),
  };
}

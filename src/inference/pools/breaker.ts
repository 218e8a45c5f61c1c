/**
 * A circuit breaker per router: closed while it answers; open after `failureThreshold` consecutive
 * failures (requests or probes); after `openMs` one trial (a probe or a request) may go through
 * (half-open); a success closes it, a failure opens it again. Time is passed in, so it is a pure machine.
 */
export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerSnapshot {
  state: BreakerState;
  consecutiveFailures: number;
  openedAt: number | null;
}

export interface Breaker {
  state(now: number): BreakerState;
  /** Whether a request may go to this router now (half-open: only one trial at a time). */
  allows(now: number): boolean;
  /** A half-open trial starts: no other request is let through until it ends. */
  startTrial(now: number): void;
  onSuccess(): void;
  onFailure(now: number): void;
  /** When a blocked router may be tried again (epoch ms). */
  reopensAt(): number;
  snapshot(now: number): BreakerSnapshot;
}

export function createBreaker(options: { failureThreshold: number; openMs: number }): Breaker {
  let failures = 0;
  let openedAt: number | null = null;
  let trialRunning = false;
  const state = (now: number): BreakerState =>
    openedAt === null ? 'closed' : now - openedAt >= options.openMs ? 'half_open' : 'open';
  return {
    state,
    allows(now) {
      const s = state(now);
      return s === 'closed' || (s === 'half_open' && !trialRunning);
    },
    startTrial(now) {
      if (state(now) === 'half_open') trialRunning = true;
    },
    onSuccess() {
      failures = 0;
      openedAt = null;
      trialRunning = false;
    },
    onFailure(now) {
      failures++;
      trialRunning = false;
      if (openedAt !== null || failures >= options.failureThreshold) openedAt = now;
    },
    reopensAt: () => (openedAt === null ? 0 : openedAt + options.openMs),
    snapshot: (now) => ({ state: state(now), consecutiveFailures: failures, openedAt }),
  };
}

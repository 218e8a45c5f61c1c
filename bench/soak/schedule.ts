/**
 * The soak's fault schedule: a seeded, printed list of faults, one at a time, so a failing run can be
 * replayed with `npm run soak -- --seed N --minutes M`. Faults start after a warm-up (10 % of the run) and end
 * before the last quarter, which is left to recovery (the spool drains, RSS is measured flat).
 */

export type FaultKind =
  | 'postgres-stop' // stop PostgreSQL (fast shutdown), start it again
  | 'redis-kill' // SIGKILL Redis, start it again empty (no persistence)
  | 'portal-sigkill' // SIGKILL one Portal, start it again on the same port and data dir (spool replay)
  | 'portal-sigterm' // SIGTERM one Portal (rolling restart), start it again
  | 'router-stop' // a router answers 503 to everything (its backend died)
  | 'router-slow' // a router's first token takes 2.5 s (latency knob)
  | 'router-cut' // a router cuts every stream after a few tokens
  | 'bus-pause'; // Redis stops answering (SIGSTOP): the bus and the limiter stall, then resume

export const FAULT_KINDS: FaultKind[] = [
  'postgres-stop',
  'redis-kill',
  'portal-sigkill',
  'portal-sigterm',
  'router-stop',
  'router-slow',
  'router-cut',
  'bus-pause',
];

export interface Fault {
  kind: FaultKind;
  /** Ms after the run's start. */
  at: number;
  /** How long the fault lasts (ms) before the service is restored. */
  durationMs: number;
  /** Which instance / router (index), where the kind has several. */
  target: number;
}

/** A small, seedable PRNG (mulberry32; the schedule and the load mix are replayable from the seed). */
import { createRandom as prng } from '#src/inference/simulator/text.js';
export { prng };

const DURATION_MS: Record<FaultKind, [number, number]> = {
  'postgres-stop': [6_000, 10_000],
  'redis-kill': [6_000, 10_000],
  'portal-sigkill': [2_000, 4_000],
  'portal-sigterm': [1_000, 3_000],
  'router-stop': [6_000, 12_000],
  'router-slow': [6_000, 12_000],
  'router-cut': [6_000, 12_000],
  'bus-pause': [3_000, 5_000],
};

/**
 * Every kind once in a seeded order, then again in a new order, while the fault window lasts. Gaps of 4–10 s
 * between faults let the fleet settle (breakers close, spools replay) before the next one.
 */
export function makeSchedule(seed: number, runMs: number): Fault[] {
  const random = prng(seed);
  const start = Math.max(10_000, runMs * 0.1);
  const end = runMs * 0.75;
  const faults: Fault[] = [];
  let t = start;
  for (;;) {
    const order = [...FAULT_KINDS].sort(() => random() - 0.5);
    for (const kind of order) {
      const [lo, hi] = DURATION_MS[kind];
      const durationMs = Math.round(lo + random() * (hi - lo));
      if (t + durationMs > end) return faults;
      // Instance 0 is never killed: it lives through every other fault, so its RSS and fds over the last half
      // say whether outages leak; instances 1 and 2 take the SIGKILLs and rolling restarts.
      const target = kind.startsWith('portal') ? 1 + Math.floor(random() * 2) : Math.floor(random() * 3);
      faults.push({ kind, at: Math.round(t), durationMs, target });
      // Restarts take a few seconds on top of the fault itself.
      t += durationMs + 4_000 + random() * 6_000 + (kind.startsWith('portal') ? 5_000 : 0);
    }
  }
}

export function describeSchedule(faults: Fault[]): string {
  return faults
    .map((f) => `  +${(f.at / 1000).toFixed(1)}s ${f.kind} (target ${f.target}, ${f.durationMs} ms)`)
    .join('\n');
}

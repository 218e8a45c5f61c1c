/**
 * The simulator's mutable state: options (changed at run time by the control endpoint), task records for
 * polling, counters, and the seeded random source that decides which requests fail.
 */
import { createRandom } from './text.js';
import type { SimOptions } from './options.js';
import { dropOldest } from '#src/platform/bounded-map.js';

export interface SimTask {
  id: number;
  sessionId: number;
  createdAt: number;
  finishedAt: number;
  /** Polls still needed before the result shows. */
  pollsLeft: number;
  text: string;
  miners: string[];
}

export interface SimStats {
  requests: number;
  completions: number;
  streams: number;
  errors: number;
  inFlight: number;
  polls: number;
}

export interface SimState {
  options: SimOptions;
  tasks: Map<number, SimTask>;
  /** Completion attempts per client_reference, for pending answers that name no task. */
  attemptsByReference: Map<string, number>;
  stats: SimStats;
  nextTaskId(): number;
  /** True for the fraction `errorRate` of calls (deterministic for the seed). */
  shouldFail(): boolean;
  minerAddress(index: number): string;
  remember(task: SimTask): void;
}

const MAX_TASKS = 1_000;

export function createSimState(options: SimOptions): SimState {
  let taskCounter = 1000;
  const random = createRandom(options.seed ^ 0x5eed);
  const tasks = new Map<number, SimTask>();
  const state: SimState = {
    options,
    tasks,
    attemptsByReference: new Map(),
    stats: { requests: 0, completions: 0, streams: 0, errors: 0, inFlight: 0, polls: 0 },
    nextTaskId: () => ++taskCounter,
    shouldFail() {
      const rate = state.options.errorRate;
      if (rate <= 0) return false;
      if (rate >= 1) return true;
      return random() < rate;
    },
    minerAddress: (index) => `0x${(0xa11ce + index).toString(16).padStart(40, '0')}`,
    remember(task) {
      tasks.set(task.id, task);
      dropOldest(tasks, MAX_TASKS);
    },
  };
  return state;
}

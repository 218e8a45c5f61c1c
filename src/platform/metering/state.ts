/**
 * The metering writer's state, written as one value and one transition function, so "where does a batch go
 * now?" has a single answer. The writer is either writing to the store or spooling to disk (the store failed
 * or was slow, a probe is waiting for it); close() moves either into its closing twin, which finishes what is
 * queued the same way but no longer replays the spool (the next start does).
 *
 * Example:
 *   transition('writing', 'store-failed') // 'spooling'
 *   transition('spooling', 'store-reachable') // 'writing'
 */
import type { MeteringStats } from './types.js';

export type WriterState = 'writing' | 'spooling' | 'closing' | 'closing-spooling' | 'closed';
export type WriterEvent = 'store-failed' | 'store-reachable' | 'close' | 'closed';

/** Total: every state answers every event (a late probe after close, a failure while closing). */
const NEXT: Record<WriterState, Record<WriterEvent, WriterState>> = {
  writing: { 'store-failed': 'spooling', 'store-reachable': 'writing', close: 'closing', closed: 'closed' },
  spooling: {
    'store-failed': 'spooling',
    'store-reachable': 'writing',
    close: 'closing-spooling',
    closed: 'closed',
  },
  closing: {
    'store-failed': 'closing-spooling',
    'store-reachable': 'closing',
    close: 'closing',
    closed: 'closed',
  },
  'closing-spooling': {
    'store-failed': 'closing-spooling',
    'store-reachable': 'closing',
    close: 'closing-spooling',
    closed: 'closed',
  },
  closed: { 'store-failed': 'closed', 'store-reachable': 'closed', close: 'closed', closed: 'closed' },
};

export function transition(state: WriterState, event: WriterEvent): WriterState {
  return NEXT[state][event];
}

/** Batches go to the store (else to the spool). */
export function storeUp(state: WriterState): boolean {
  return state === 'writing' || state === 'closing';
}

/** The spool is replayed before new batches only while open: close() must not wait on a long replay. */
export function replaysSpool(state: WriterState): boolean {
  return state === 'writing';
}

const PUBLIC: Record<WriterState, MeteringStats['state']> = {
  writing: 'ok',
  closing: 'ok',
  spooling: 'spooling',
  'closing-spooling': 'spooling',
  closed: 'closed',
};

/** The state as /metrics and the admin API show it. */
export function publicState(state: WriterState): MeteringStats['state'] {
  return PUBLIC[state];
}

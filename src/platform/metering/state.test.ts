import { describe, expect, it } from 'vitest';
import {
  publicState,
  replaysSpool,
  storeUp,
  transition,
  type WriterEvent,
  type WriterState,
} from './state.js';

const STATES: WriterState[] = ['writing', 'spooling', 'closing', 'closing-spooling', 'closed'];
const EVENTS: WriterEvent[] = ['store-failed', 'store-reachable', 'close', 'closed'];

describe('metering writer state', () => {
  it('spools after a store failure and writes again once the store is reachable', () => {
    expect(transition('writing', 'store-failed')).toBe('spooling');
    expect(transition('spooling', 'store-reachable')).toBe('writing');
    expect(storeUp('writing')).toBe(true);
    expect(storeUp('spooling')).toBe(false);
  });

  it('keeps spooling while closing when the store is down, and writes while closing when it is up', () => {
    expect(transition('spooling', 'close')).toBe('closing-spooling');
    expect(transition('writing', 'close')).toBe('closing');
    expect(transition('closing', 'store-failed')).toBe('closing-spooling');
    expect(transition('closing-spooling', 'store-reachable')).toBe('closing');
    expect(storeUp('closing')).toBe(true);
    expect(storeUp('closing-spooling')).toBe(false);
  });

  it('replays the spool only while open and writing (close leaves it for the next start)', () => {
    expect(STATES.filter(replaysSpool)).toEqual(['writing']);
  });

  it('stays closed whatever arrives after close (a late probe, a late failure)', () => {
    for (const event of EVENTS) expect(transition('closed', event)).toBe('closed');
    for (const state of STATES) expect(transition(state, 'closed')).toBe('closed');
  });

  it('shows ok, spooling or closed to /metrics and the admin API', () => {
    expect(STATES.map(publicState)).toEqual(['ok', 'spooling', 'ok', 'spooling', 'closed']);
  });
});

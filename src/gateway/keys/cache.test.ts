import { describe, expect, it } from 'vitest';
import { testClock } from '#test/support/clock.js';
import { TtlCache } from './cache.js';

function setup(overrides: { ttlMs?: number; negativeTtlMs?: number; maxEntries?: number } = {}) {
  const clock = testClock(0);
  const loads: string[] = [];
  const values = new Map<string, string>([['a', 'A1']]);
  let release: (() => void) | undefined;
  let gate: Promise<void> | undefined;
  const cache = new TtlCache<string>({
    ttlMs: overrides.ttlMs ?? 1000,
    negativeTtlMs: overrides.negativeTtlMs ?? 100,
    maxEntries: overrides.maxEntries ?? 10,
    now: clock.now,
    load: async (key) => {
      loads.push(key);
      const value = values.get(key);
      if (gate) await gate;
      return value;
    },
  });
  return {
    cache,
    loads,
    values,
    advance: clock.advance,
    hold() {
      gate = new Promise((r) => (release = r));
    },
    release() {
      gate = undefined;
      release?.();
    },
  };
}

describe('TtlCache', () => {
  it('loads once, then answers from memory while fresh', async () => {
    const t = setup();
    expect(await t.cache.get('a')).toBe('A1');
    expect(await t.cache.get('a')).toBe('A1');
    expect(t.loads).toEqual(['a']);
  });

  it('shares one load between concurrent misses', async () => {
    const t = setup();
    t.hold();
    const both = Promise.all([t.cache.get('a'), t.cache.get('a')]);
    t.release();
    expect(await both).toEqual(['A1', 'A1']);
    expect(t.loads).toEqual(['a']);
  });

  it('refreshes in the background near expiry without making the caller wait', async () => {
    const t = setup();
    await t.cache.get('a');
    t.values.set('a', 'A2');
    t.advance(800); // inside the refresh-ahead window
    t.hold();
    expect(await t.cache.get('a')).toBe('A1'); // answered from memory while the reload is held
    t.release();
    await new Promise((r) => setImmediate(r));
    expect(await t.cache.get('a')).toBe('A2');
    expect(t.loads).toEqual(['a', 'a']);
  });

  it('reloads before answering once the TTL has passed', async () => {
    const t = setup();
    await t.cache.get('a');
    t.values.set('a', 'A2');
    t.advance(1001);
    expect(await t.cache.get('a')).toBe('A2');
  });

  it('remembers misses only for the negative TTL', async () => {
    const t = setup();
    expect(await t.cache.get('b')).toBeUndefined();
    t.values.set('b', 'B');
    expect(await t.cache.get('b')).toBeUndefined();
    t.advance(101);
    expect(await t.cache.get('b')).toBe('B');
  });

  it('does not write back a load that started before a delete', async () => {
    const t = setup();
    t.hold();
    const stale = t.cache.get('a');
    t.cache.delete('a');
    t.values.set('a', 'A2');
    const fresh = t.cache.get('a'); // must not join the load that started before the delete
    t.release();
    expect(await stale).toBe('A1');
    expect(await fresh).toBe('A2');
    expect(await t.cache.get('a')).toBe('A2');
  });

  it('evicts the oldest entry past maxEntries', async () => {
    const t = setup({ maxEntries: 2 });
    t.values.set('x', 'X');
    t.values.set('y', 'Y');
    for (const k of ['a', 'x', 'y']) await t.cache.get(k);
    expect(t.cache.size).toBe(2);
  });

  it('keeps misses in their own bounded LRU: they never evict values', async () => {
    const t = setup({ maxEntries: 2 });
    await t.cache.get('a');
    for (let i = 0; i < 50; i++) await t.cache.get(`missing-${i}`);
    expect(t.cache.size).toBe(1);
    t.loads.length = 0;
    expect(await t.cache.get('a')).toBe('A1');
    expect(t.cache.cached('missing-49')).toBe(true);
    expect(t.loads).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { dropOldest } from './bounded-map.js';

describe('dropOldest', () => {
  it('drops the earliest inserted entries past capacity and returns them oldest first', () => {
    const map = new Map([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    expect(dropOldest(map, 1)).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect([...map]).toEqual([['c', 3]]);
  });

  it('leaves a map within capacity untouched, even an empty one', () => {
    const map = new Map([['a', 1]]);
    expect(dropOldest(map, 1)).toEqual([]);
    expect(dropOldest(new Map(), 0)).toEqual([]);
    expect(map.size).toBe(1);
  });

  it('treats a re-inserted entry as the newest', () => {
    const map = new Map([
      ['a', 1],
      ['b', 2],
    ]);
    map.delete('a');
    map.set('a', 1);
    map.set('c', 3);
    dropOldest(map, 2);
    expect([...map.keys()]).toEqual(['a', 'c']);
  });
});

import { describe, expect, it } from 'vitest';
import { rotated } from './text.js';

describe('rotated', () => {
  it('starts at the given index and wraps around, keeping every element once', () => {
    expect(rotated(['a', 'b', 'c', 'd'], 2)).toEqual(['c', 'd', 'a', 'b']);
    expect(rotated(['a', 'b', 'c'], 4)).toEqual(['b', 'c', 'a']);
    expect(rotated([], 3)).toEqual([]);
  });
});

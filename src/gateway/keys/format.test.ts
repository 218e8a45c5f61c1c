import { describe, expect, it } from 'vitest';
import { checkKeyFormat, generateKey, hashKey, KEY_LENGTH } from './format.js';

describe('key format', () => {
  it('generates keys that pass their own checksum and hash to what is stored', () => {
    for (let i = 0; i < 200; i++) {
      const g = generateKey();
      expect(g.key).toHaveLength(KEY_LENGTH);
      expect(checkKeyFormat(g.key)).toBe(true);
      expect(hashKey(g.key)).toBe(g.hash);
      expect(g.key.startsWith(g.displayPrefix)).toBe(true);
      expect(g.key.endsWith(g.lastFour)).toBe(true);
    }
  });

  it('rejects a key with any single character changed', () => {
    const { key } = generateKey();
    let rejected = 0;
    for (let i = 4; i < key.length; i++) {
      const replacement = key[i] === 'a' ? 'b' : 'a';
      if (!checkKeyFormat(key.slice(0, i) + replacement + key.slice(i + 1))) rejected++;
    }
    expect(rejected).toBe(key.length - 4);
  });

  it.each(['', 'sk-abc', 'ptl_', `ptl_${'x'.repeat(36)}`, `PTL_${'a'.repeat(36)}`, ' ptl_'.padEnd(41, 'a')])(
    'rejects %j without a lookup',
    (candidate) => expect(checkKeyFormat(candidate)).toBe(false),
  );

  it('keys are unique and random', () => {
    const seen = new Set(Array.from({ length: 1000 }, () => generateKey().key));
    expect(seen.size).toBe(1000);
  });
});

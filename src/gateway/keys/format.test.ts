import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { hashIp } from '../gateway.js';
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

describe('one-shot hashes (crypto.hash) on the hot path', () => {
  const reference = (...parts: string[]) => {
    const h = createHash('sha256');
    for (const p of parts) h.update(p);
    return h.digest('hex');
  };

  it('hash a key, and a salted client IP, exactly as a Hash object fed the same parts', () => {
    for (const key of ['ptl_x', generateKey().key, 'é€😀', '']) expect(hashKey(key)).toBe(reference(key));
    for (const ip of ['127.0.0.1', '::ffff:10.0.0.1', '2001:db8::1'])
      expect(hashIp(ip, 'salt-0123')).toBe(reference('salt-0123', ip).slice(0, 32));
    expect(hashIp(undefined, 'salt')).toBeNull();
  });

  it('accepts a key issued before the change and refuses one with a changed checksum', () => {
    const key = 'ptl_GwFmN4jCFHkM8ydrSusFxgi7huBH1O3Dx5yF'; // generated with the Hash-object checksum
    expect(checkKeyFormat(key)).toBe(true);
    const last = key.at(-1) === 'a' ? 'b' : 'a';
    expect(checkKeyFormat(key.slice(0, -1) + last)).toBe(false);
  });
});

/**
 * Application-generated ids: a type prefix, a time component (so ids sort by creation) and 72 random bits.
 * Example: newId('key') -> "key_0mb1x2k9c4f7q8d2h5j3n6".
 *
 * Random bytes come from a pooled buffer refilled by the CSPRNG 4 KiB at a time: one `randomBytes` call per
 * id cost ~3 % of the gateway's CPU per request (it allocates and crosses into C++ each time). Secrets (API
 * keys) do not use the pool.
 */
import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
const pool = Buffer.alloc(4096);
let offset = pool.length;

/** `n` (≤ 64) fresh random bytes, valid until the next call. */
export function pooledRandomBytes(n: number): Buffer {
  if (offset + n > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const out = pool.subarray(offset, offset + n);
  offset += n;
  return out;
}

export function newId(prefix: string, now = Date.now()): string {
  const time = now.toString(36).padStart(9, '0');
  const bytes = pooledRandomBytes(14);
  let rand = '';
  for (const byte of bytes) rand += ALPHABET.charAt(byte % 36);
  return `${prefix}_${time}${rand}`;
}

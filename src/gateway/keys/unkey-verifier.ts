/**
 * Key verification through Unkey (keys.provider = unkey), with the hot-path discipline of verify.ts
 * (docs/decisions/002 and 005): a shape check first (no I/O for garbage), then the in-process cache keyed by
 * the SHA-256 of the presented key, and Unkey's `keys.verifyKey` only on a miss. Unkey's answer becomes a
 * KeyRecord: organization from the identity's externalId, Portal key id, scope and limits from meta.
 * Revocation deletes the key at Unkey (NOT_FOUND afterwards); the local api_keys row still says "revoked",
 * so a NOT_FOUND is looked up there once to answer key_revoked instead of invalid_api_key. Revocations and
 * changes arrive on the bus and evict at once, as with Portal's own keys.
 * Unkey unreachable: cached keys keep working until their TTL; an uncached key gets 503, never a 500.
 *
 * @example
 *   const keys = createUnkeyKeyVerifier({ unkey, store, bus, log, prefix: 'ptl', ttlMs: 30_000, negativeTtlMs: 5_000 });
 *   await keys.verify('ptl_3ZbX…')   // -> { ok: true, key } | { ok: false, code: 'key_revoked' }
 */
import { eq } from 'drizzle-orm';
import type { Bus } from '#src/platform/bus/types.js';
import { PortalError } from '#src/platform/http/errors.js';
import type { Logger } from '#src/platform/log.js';
import type { Store } from '#src/platform/store/db.js';
import { apiKeys } from '#src/platform/store/schema.js';
import { UnkeyError, type UnkeyClient, type VerifyKeyData } from '#src/platform/unkey/client.js';
import { parseUnkeyMeta } from '#src/platform/unkey/key-meta.js';
import { TtlCache } from './cache.js';
import { hashKey } from './format.js';
import { createTouchBatcher } from './touch.js';
import type { Denial } from '../denial.js';
import { judgeKey, keyColumns, toKeyRecord, type KeyRecord, type KeyVerifier } from './verify.js';

export interface UnkeyVerifierOptions {
  unkey: Pick<UnkeyClient, 'verifyKey'>;
  store: Store;
  bus: Bus;
  log: Logger;
  /** The prefix keys are issued with (without the "_" Unkey adds). */
  prefix: string;
  ttlMs: number;
  negativeTtlMs: number;
  maxEntries?: number;
  negativeMaxEntries?: number;
  touchFlushMs?: number;
}

const MAX_KEY_LENGTH = 512; // Unkey's documented maximum for keys.verifyKey `key`

export function createUnkeyKeyVerifier(options: UnkeyVerifierOptions): KeyVerifier {
  const { store, bus, log, unkey } = options;
  const shape = new RegExp(`^${options.prefix}_[0-9A-Za-z]{16,}$`);
  const hashById = new Map<string, string>();
  // The presented key for a hash, only while its lookup starts (TtlCache calls `load` synchronously).
  const presentedByHash = new Map<string, string>();

  async function load(hash: string): Promise<KeyRecord | undefined> {
    const presented = presentedByHash.get(hash);
    if (!presented) return undefined; // a refresh without the key in hand: let the entry expire instead
    const answer = await unkey.verifyKey(presented);
    const record = answer.code === 'NOT_FOUND' ? await revokedLocally(hash) : fromUnkey(answer);
    if (record) hashById.set(record.id, hash);
    return record;
  }

  const cache = new TtlCache<KeyRecord>({
    ttlMs: options.ttlMs,
    negativeTtlMs: options.negativeTtlMs,
    maxEntries: options.maxEntries ?? 100_000,
    negativeMaxEntries: options.negativeMaxEntries,
    load,
  });

  async function revokedLocally(hash: string): Promise<KeyRecord | undefined> {
    const [row] = await store.db.select(keyColumns).from(apiKeys).where(eq(apiKeys.keyHash, hash)).limit(1);
    return row?.status === 'revoked' ? toKeyRecord(row) : undefined;
  }

  const unsubscribe = bus.subscribe((message) => {
    if (message.type === 'key.changed') {
      const hash = message.keyHash ?? hashById.get(message.keyId);
      if (hash) cache.delete(hash);
      else cache.clear();
    } else if (message.type === 'cache.flush') cache.clear();
  });
  const touches = createTouchBatcher(store, log, options.touchFlushMs);

  async function lookup(
    presented: string,
    beforeLookup?: () => Promise<Denial | undefined>,
  ): Promise<KeyRecord | Denial | undefined> {
    const hash = hashKey(presented);
    const refused = beforeLookup && !cache.cached(hash) ? await beforeLookup() : undefined;
    if (refused) return refused;
    presentedByHash.set(hash, presented);
    let pending: Promise<KeyRecord | undefined>;
    try {
      pending = cache.get(hash);
    } finally {
      presentedByHash.delete(hash);
    }
    try {
      return await pending;
    } catch (err) {
      if (!(err instanceof UnkeyError)) throw err;
      log.error({ err: err.message, status: err.status, requestId: err.requestId }, 'unkey verifyKey failed');
      throw new PortalError({
        code: 'service_unavailable',
        message: 'API key verification is temporarily unavailable. Retry in a few seconds.',
        headers: { 'retry-after': '5' },
      });
    }
  }

  return {
    async verify(presented, now = Date.now(), beforeLookup) {
      if (presented.length > MAX_KEY_LENGTH || !shape.test(presented))
        return { ok: false, code: 'invalid_api_key' };
      const found = await lookup(presented, beforeLookup);
      return found && 'ok' in found ? found : judgeKey(found, now);
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
 * Unkey's verification answer as a KeyRecord (cached like a store row), or undefined for "no such Portal key".
 * Credit and rate-limit refusals are not cached but passed on for this request only. Portal sets no credits on
 * keys, and the ratelimits it attaches (limits.provider unkey) are not auto-applied: this lookup names none, so
 * they are checked only at admission (decision 021).
 */
export function fromUnkey(answer: VerifyKeyData): KeyRecord | undefined {
  const meta = parseUnkeyMeta(answer.meta);
  const orgId = answer.identity?.externalId ?? meta?.orgId;
  if (!meta || !orgId || orgId !== meta.orgId) return undefined;
  const record: KeyRecord = {
    id: meta.portalKeyId,
    orgId,
    name: answer.name ?? '',
    status: 'active',
    scopes: meta.models,
    requestsPerMinute: meta.requestsPerMinute,
    tokensPerMinute: meta.tokensPerMinute,
    expiresAt: answer.expires ?? null,
  };
  switch (answer.code) {
    case 'VALID':
      return answer.valid ? record : undefined;
    case 'DISABLED':
      return { ...record, status: 'disabled' };
    case 'EXPIRED':
      return { ...record, expiresAt: Math.min(answer.expires ?? 0, Date.now()) };
    case 'RATE_LIMITED':
      throw new PortalError({
        code: 'rate_limit_exceeded',
        message: 'This API key is rate limited by its issuer.',
      });
    case 'USAGE_EXCEEDED':
    case 'INSUFFICIENT_CREDITS':
      throw new PortalError({ code: 'insufficient_quota', message: 'This API key has no usage left.' });
    default: // FORBIDDEN, INSUFFICIENT_PERMISSIONS (another API's key) and codes we do not know
      return undefined;
  }
}

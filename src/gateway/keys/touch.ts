/**
 * Batched `last_used_at`: uses are collected in memory and written every few seconds in one
 * `UPDATE … WHERE id = ANY(…)`, never per request. A failed write keeps the ids for the next flush.
 */
import { inArray, sql } from 'drizzle-orm';
import type { Logger } from '#src/platform/log.js';
import type { Store } from '#src/platform/store/db.js';
import { apiKeys } from '#src/platform/store/schema.js';

export interface TouchBatcher {
  touch(keyId: string): void;
  /** Stops the timer and writes what is pending. */
  close(): Promise<void>;
}

export function createTouchBatcher(store: Store, log: Logger, flushMs = 5_000): TouchBatcher {
  const touched = new Set<string>();
  const flush = async () => {
    if (!touched.size) return;
    const ids = [...touched];
    touched.clear();
    try {
      await store.db
        .update(apiKeys)
        .set({ lastUsedAt: sql`now()` })
        .where(inArray(apiKeys.id, ids));
    } catch (err) {
      log.warn({ err: (err as Error).message, keys: ids.length }, 'last_used_at update failed; will retry');
      for (const id of ids) touched.add(id);
    }
  };
  const timer = setInterval(() => void flush(), flushMs);
  timer.unref();
  return {
    touch: (keyId) => void touched.add(keyId),
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}

/**
 * A bounded TTL cache with refresh-ahead, used for keys and organization policies on the hot path.
 * - `get` answers from memory while an entry is fresh; in the last `refreshAheadRatio` of its life it starts
 *   one background reload and keeps answering from memory, so an active key never waits on the store.
 * - Past its TTL an entry is reloaded before answering (bounded staleness even if a bus message was lost).
 * - Concurrent misses for one key share one load (single flight). `delete` is how bus messages evict.
 * - "Not found" answers live in their own LRU, bounded by `negativeMaxEntries`: a flood of unknown keys
 *   evicts only other unknown keys, never a valid one (issue #10, Medium 5).
 */
import { dropOldest } from '#src/platform/bounded-map.js';

export interface CacheOptions<V> {
  ttlMs: number;
  /** TTL for "not found" answers (undefined values). */
  negativeTtlMs: number;
  maxEntries: number;
  /** Bound of the separate LRU of "not found" answers (default 10,000). */
  negativeMaxEntries?: number;
  refreshAheadRatio?: number;
  load: (key: string) => Promise<V | undefined>;
  now?: () => number;
}

interface Entry<V> {
  value: V | undefined;
  expiresAt: number;
  refreshAt: number;
  generation: number;
}

export class TtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  /** Expiry of each "not found" answer, least recently used first. */
  private readonly negatives = new Map<string, number>();
  private readonly inflight = new Map<string, Promise<V | undefined>>();
  private generation = 0;
  private readonly now: () => number;
  hits = 0;
  misses = 0;

  constructor(private readonly options: CacheOptions<V>) {
    this.now = options.now ?? Date.now;
  }

  /**
   * The cached value, or a load from the store on a miss. With `maxAgeMs` (the bus is down, so evictions
   * may be missed), an entry loaded longer ago than that is reloaded first — and still answered if the
   * reload fails (the store is down too: a stale answer beats refusing every cached key).
   */
  async get(key: string, maxAgeMs?: number): Promise<V | undefined> {
    const entry = this.entries.get(key);
    const now = this.now();
    // Loaded at expiresAt − ttlMs: every entry lives ttlMs.
    const age = entry ? now - (entry.expiresAt - this.options.ttlMs) : 0;
    if (entry && now < entry.expiresAt && maxAgeMs !== undefined && age > maxAgeMs) {
      this.misses++;
      return this.load(key).catch(() => entry.value);
    }
    if (entry && now < entry.expiresAt) {
      this.hits++;
      if (now >= entry.refreshAt && !this.inflight.has(key)) void this.load(key).catch(() => {});
      return entry.value;
    }
    const negativeUntil = this.negatives.get(key);
    if (negativeUntil !== undefined && now < negativeUntil) {
      this.hits++;
      this.negatives.delete(key);
      this.negatives.set(key, negativeUntil);
      return undefined;
    }
    this.misses++;
    return this.load(key);
  }

  /** Whether `get(key)` would answer from memory now (a fresh value or a fresh "not found"). */
  cached(key: string): boolean {
    const now = this.now();
    const entry = this.entries.get(key);
    if (entry && now < entry.expiresAt) return true;
    const negativeUntil = this.negatives.get(key);
    return negativeUntil !== undefined && now < negativeUntil;
  }

  delete(key: string): void {
    this.entries.delete(key);
    this.negatives.delete(key);
    this.inflight.delete(key);
    this.generation++; // a load that started before this eviction must not write back stale data
  }

  clear(): void {
    this.entries.clear();
    this.negatives.clear();
    this.inflight.clear();
    this.generation++;
  }

  get size(): number {
    return this.entries.size;
  }

  private load(key: string): Promise<V | undefined> {
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const startedGeneration = this.generation;
    const promise = this.options
      .load(key)
      .then((value) => {
        if (this.generation === startedGeneration) this.set(key, value);
        return value;
      })
      .finally(() => {
        if (this.inflight.get(key) === promise) this.inflight.delete(key);
      });
    this.inflight.set(key, promise);
    return promise;
  }

  private set(key: string, value: V | undefined) {
    const now = this.now();
    if (value === undefined) {
      this.entries.delete(key);
      this.negatives.delete(key);
      this.negatives.set(key, now + this.options.negativeTtlMs);
      dropOldest(this.negatives, this.options.negativeMaxEntries ?? 10_000);
      return;
    }
    this.negatives.delete(key);
    const ttl = this.options.ttlMs;
    const ratio = this.options.refreshAheadRatio ?? 0.25;
    this.entries.delete(key);
    this.entries.set(key, {
      value,
      expiresAt: now + ttl,
      refreshAt: now + ttl * (1 - ratio),
      generation: this.generation,
    });
    dropOldest(this.entries, this.options.maxEntries);
  }
}

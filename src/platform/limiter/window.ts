/**
 * The sliding-window arithmetic both limiters share (limits.md): a window of W ms is split into N buckets of
 * width b = ceil(W / N); bucket k covers [k·b, (k+1)·b). At time t a bucket still counts while
 * (k+1)·b > t − W, so the counted sum always covers (t − W, t] (never over-admits) and at most the last W + b
 * (under-admits by at most one bucket). The Redis Lua script mirrors these functions line for line.
 */
import type { LimitSpec } from './types.js';

export const DEFAULT_BUCKETS = 60;

export interface Window {
  windowMs: number;
  /** Bucket width b in ms. */
  width: number;
}

export function windowOf(spec: { windowMs: number; buckets?: number }): Window {
  const buckets = spec.buckets ?? DEFAULT_BUCKETS;
  return { windowMs: spec.windowMs, width: Math.max(1, Math.ceil(spec.windowMs / buckets)) };
}

/** Index of the bucket holding time t. */
export function bucketIndex(w: Window, t: number): number {
  return Math.floor(t / w.width);
}

/** Oldest bucket index still counted at time t. */
export function oldestCounted(w: Window, t: number): number {
  return Math.floor((t - w.windowMs) / w.width);
}

/** Milliseconds from t until bucket k leaves the window. */
export function leavesIn(w: Window, k: number, t: number): number {
  return (k + 1) * w.width + w.windowMs - t;
}

/**
 * Rejects specs no window can honour: non-integer or negative amounts, a window shorter than 1 ms, the same
 * key twice in one call (it would be checked twice but charged twice), keys of one call without one common
 * hash tag (Redis Cluster would refuse the script with CROSSSLOT; refused everywhere so a single Redis and
 * the memory limiter catch it too).
 */
export function assertValidSpecs(limits: readonly LimitSpec[]): void {
  const seen = new Set<string>();
  const tag = limits.length > 1 ? hashTag(limits[0]?.key ?? '') : null;
  for (const l of limits) {
    if (!l.key) throw new TypeError('limiter: a limit needs a key');
    // One script on Redis Cluster runs on one slot: the keys of one call must share a hash tag.
    if (limits.length > 1 && (tag === null || hashTag(l.key) !== tag))
      throw new TypeError(`limiter: the keys of one call must share one {hash tag}; "${l.key}" does not`);
    if (seen.has(l.key)) throw new TypeError(`limiter: key "${l.key}" appears twice in one call`);
    seen.add(l.key);
    if (!isCount(l.limit) || !isCount(l.cost))
      throw new TypeError(`limiter: limit and cost of "${l.key}" must be non-negative integers`);
    if (!Number.isInteger(l.windowMs) || l.windowMs < 1)
      throw new TypeError(`limiter: windowMs of "${l.key}" must be a positive integer`);
    if (l.buckets !== undefined && (!Number.isInteger(l.buckets) || l.buckets < 1))
      throw new TypeError(`limiter: buckets of "${l.key}" must be a positive integer`);
  }
}

export function isCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/**
 * The hash tag of a Redis key ("rl:{org_1}:k" → "org_1"), or null. Keys of one call should share it so the
 * one script touches one Redis Cluster slot.
 */
export function hashTag(key: string): string | null {
  const open = key.indexOf('{');
  if (open < 0) return null;
  const close = key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : null;
}

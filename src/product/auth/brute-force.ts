/**
 * Brute-force protection for password sign-in: after `maxFailures` failed attempts for one email (or from one
 * client address) within `windowMs`, further attempts answer 429 until the window passes. A success clears
 * the email's counter. Per instance (memory); better-auth's own per-IP rate limit sits behind it.
 */
export interface AttemptGuard {
  /** Milliseconds until attempts are allowed again, or 0 when allowed now. */
  blockedFor(keys: string[], now?: number): number;
  recordFailure(keys: string[], now?: number): void;
  clear(key: string): void;
}

export function createAttemptGuard(options: { maxFailures: number; windowMs: number }): AttemptGuard {
  const failures = new Map<string, number[]>();

  function recent(key: string, now: number): number[] {
    const list = (failures.get(key) ?? []).filter((t) => now - t < options.windowMs);
    if (list.length) failures.set(key, list);
    else failures.delete(key);
    return list;
  }

  return {
    blockedFor(keys, now = Date.now()) {
      let wait = 0;
      for (const key of keys) {
        const list = recent(key, now);
        if (list.length >= options.maxFailures) {
          const oldest = list[list.length - options.maxFailures] ?? now;
          wait = Math.max(wait, oldest + options.windowMs - now);
        }
      }
      return wait;
    },
    recordFailure(keys, now = Date.now()) {
      for (const key of keys) {
        const list = recent(key, now);
        list.push(now);
        failures.set(key, list.slice(-options.maxFailures * 4));
      }
      if (failures.size > 100_000) failures.clear(); // memory bound under a spray of addresses
    },
    clear(key) {
      failures.delete(key);
    },
  };
}

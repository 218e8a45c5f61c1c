/**
 * better-auth's per-IP rate limit, stored per Portal instance (better-auth's built-in memory store is one
 * module-wide map, shared by every instance in a process). Fixed windows; bounded memory.
 */
export function createRateLimitStore() {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    async consume(key: string, rule: { window: number; max: number }) {
      const now = Date.now();
      const span = rule.window * 1000;
      const current = windows.get(key);
      if (!current || now - current.start >= span) {
        if (windows.size > 100_000) windows.clear();
        windows.set(key, { start: now, count: 1 });
        return { allowed: true, retryAfter: null };
      }
      if (current.count >= rule.max)
        return { allowed: false, retryAfter: Math.ceil((current.start + span - now) / 1000) };
      current.count++;
      return { allowed: true, retryAfter: null };
    },
  };
}

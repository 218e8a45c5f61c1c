/**
 * The current sliding windows of an organization and its active keys, for the Usage page and the usage API:
 * what is used, what remains and when it frees up. Reads the limiter without charging (not a hot-path call).
 */
import { and, eq } from 'drizzle-orm';
import type { Limiter } from '../platform/limiter/types.js';
import type { Store } from '../platform/store/db.js';
import { apiKeys } from '../platform/store/schema.js';
import { keyColumns, toKeyRecord } from './keys/verify.js';
import type { PolicyCache } from './policy.js';
import { windowLimits, type LimitName } from './limits.js';

export interface UsageWindow {
  name: LimitName;
  subject: 'key' | 'org';
  key_id?: string;
  key_name?: string;
  limit: number;
  used: number;
  remaining: number;
  /** When the oldest counted use leaves the window (ISO time), null when nothing is counted. */
  resets_at: string | null;
}

export async function orgWindows(
  deps: { store: Store; policies: PolicyCache; limiter: Limiter; rateWindowMs: number },
  orgId: string,
  now = Date.now(),
): Promise<UsageWindow[]> {
  const policy = await deps.policies.get(orgId);
  if (!policy) return [];
  const rows = await deps.store.db
    .select(keyColumns)
    .from(apiKeys)
    .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.status, 'active')));
  const keys = rows.map(toKeyRecord);
  const limits = windowLimits(policy, keys, deps.rateWindowMs);
  const states = await deps.limiter.peek(
    limits.map((l) => l.spec),
    now,
  );
  const names = new Map(keys.map((k) => [k.id, k.name]));
  return limits.map((l, i) => {
    const s = states[i];
    // Limiter.peek answers one state per spec, in order; a short answer is a limiter bug, said plainly.
    if (!s) throw new Error(`limiter.peek answered ${states.length} states for ${limits.length} windows`);
    return {
      name: l.name,
      subject: l.subject,
      ...(l.keyId ? { key_id: l.keyId, key_name: names.get(l.keyId) } : {}),
      limit: s.limit,
      used: s.used,
      remaining: Math.max(0, s.remaining),
      resets_at: s.used > 0 ? new Date(now + s.resetMs).toISOString() : null,
    };
  });
}

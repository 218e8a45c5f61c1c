/**
 * The credits mirror (keys.provider = unkey; docs/decisions/025-unkey-credits-mirror.md): each Unkey key's
 * `credits.remaining` shows its organization's pool as Portal counts it — the credit balance in micro-dollars
 * on a credits plan, else the tokens left in the 30-day window on a monthly-quota plan, else unlimited (null).
 * Every key of the organization shows the same number: the pool is the organization's, not the key's.
 *
 * Off the request path: `touch(orgId)` only marks the organization (a Set add); every `intervalMs` the mirror
 * reads the pool of up to `maxOrgsPerFlush` marked organizations (the same numbers the plan and usage pages
 * show) and sends `keys.updateCredits { operation: 'set' }` for each of their non-revoked keys whose last value
 * written from this process differs. After a write, the organization is read once more one interval later, so
 * an older value written by another instance after a newer one is corrected. Monthly-token organizations are
 * re-read every `resyncMs` for 30 days after their last touch (the sliding window frees tokens with no traffic).
 *
 * Unkey never decides with these numbers: Portal sends `credits: { cost: 0 }` on every verification (client.ts),
 * which Unkey's usage limiter admits whatever remains. Not durable: marks live in memory, so a process stopped
 * between a usage and its flush leaves the keys one update behind until the organization's next touch.
 *
 * @example
 *   const mirror = createCreditsMirror({ unkey, keysOf, pool, log, intervalMs: 5_000, maxOrgsPerFlush: 100 });
 *   mirror.touch(orgId);      // after usage, a grant, a plan change or a new key
 *   await mirror.flush();     // what the timer does
 */
import type { Logger } from '#src/platform/log.js';
import { UnkeyError, type UnkeyClient } from '#src/platform/unkey/client.js';
import type { CreditsPool } from '#src/gateway/credits-pool.js';

export type { CreditsPool };

/** Unkey keeps `remaining` in a 32-bit signed column (its keys table, `remaining_requests int`). */
export const MAX_UNKEY_CREDITS = 2_147_483_647;
const WINDOW_MS = 30 * 86_400_000;
/** Bounds of this process's memory of written values and re-sync candidates. */
const MAX_REMEMBERED = 100_000;

export interface CreditsMirrorDeps {
  unkey: Pick<UnkeyClient, 'updateCredits'>;
  /** Unkey key ids of the organization's keys that are not revoked. */
  keysOf(orgId: string): Promise<string[]>;
  /** The organization's pool now; undefined when the organization is gone. */
  pool(orgId: string): Promise<CreditsPool | undefined>;
  log: Logger;
  intervalMs: number;
  maxOrgsPerFlush: number;
  resyncMs?: number;
  now?: () => number;
}

export interface FlushResult {
  orgs: number;
  written: number;
  failed: number;
}

export interface CreditsMirror {
  touch(orgId: string): void;
  flush(): Promise<FlushResult>;
  /** Stops the timer after one last flush of what is marked. */
  close(): Promise<void>;
}

/** The value written for a pool: whole units, never negative, at most what Unkey can hold. */
export function creditsValue(pool: CreditsPool): number | null {
  if (pool === null) return null;
  return Math.min(MAX_UNKEY_CREDITS, Math.max(0, Math.floor(pool.remaining)));
}

export function createCreditsMirror(deps: CreditsMirrorDeps): CreditsMirror {
  const now = deps.now ?? Date.now;
  const resyncMs = deps.resyncMs ?? 600_000;
  const dirty = new Set<string>();
  /** Organizations to read once more at the next flush (after a write). */
  const confirm = new Set<string>();
  /** Monthly-token organizations: last touch and next re-read. */
  const tokenOrgs = new Map<string, { touchedAt: number; nextAt: number }>();
  const written = new Map<string, number | null>();
  let flushing: Promise<FlushResult> | undefined;

  function touch(orgId: string) {
    dirty.add(orgId);
    const t = tokenOrgs.get(orgId);
    if (t) t.touchedAt = now();
  }

  function remember(keyId: string, value: number | null) {
    if (written.size >= MAX_REMEMBERED && !written.has(keyId)) written.clear();
    written.set(keyId, value);
  }

  function markResync(orgId: string, pool: CreditsPool) {
    if (pool?.unit !== 'tokens') return void tokenOrgs.delete(orgId);
    if (tokenOrgs.size >= MAX_REMEMBERED && !tokenOrgs.has(orgId)) tokenOrgs.clear();
    const touchedAt = tokenOrgs.get(orgId)?.touchedAt ?? now();
    tokenOrgs.set(orgId, { touchedAt, nextAt: now() + resyncMs });
  }

  /** Up to the bound, in order: marked organizations first, then confirmations, then due re-syncs. */
  function takeBatch(): string[] {
    const t = now();
    for (const [orgId, r] of tokenOrgs) {
      if (t - r.touchedAt > WINDOW_MS) tokenOrgs.delete(orgId);
      else if (r.nextAt <= t) dirty.add(orgId);
    }
    for (const orgId of confirm) dirty.add(orgId);
    confirm.clear();
    const batch: string[] = [];
    for (const orgId of dirty) {
      if (batch.length >= deps.maxOrgsPerFlush) break;
      batch.push(orgId);
      dirty.delete(orgId);
    }
    return batch;
  }

  async function mirrorOrg(orgId: string, result: FlushResult) {
    const pool = await deps.pool(orgId);
    if (pool === undefined) return;
    markResync(orgId, pool);
    const value = creditsValue(pool);
    let wrote = false;
    for (const keyId of await deps.keysOf(orgId)) {
      if (written.has(keyId) && written.get(keyId) === value) continue;
      try {
        await deps.unkey.updateCredits({ keyId, operation: 'set', value });
        remember(keyId, value);
        result.written++;
        wrote = true;
      } catch (err) {
        if (err instanceof UnkeyError && err.status === 404) continue; // deleted at Unkey: revoked
        result.failed++;
        written.delete(keyId);
        dirty.add(orgId); // tried again at the next flush
        const status = err instanceof UnkeyError ? err.status : undefined;
        deps.log.warn({ orgId, keyId, status, err: (err as Error).message }, 'unkey credits mirror failed');
        if (err instanceof UnkeyError && err.unavailable) return;
      }
    }
    if (wrote) confirm.add(orgId);
  }

  async function flushOnce(): Promise<FlushResult> {
    const result: FlushResult = { orgs: 0, written: 0, failed: 0 };
    for (const orgId of takeBatch()) {
      result.orgs++;
      try {
        await mirrorOrg(orgId, result);
      } catch (err) {
        // The store or the pool could not be read: the organization stays marked.
        result.failed++;
        dirty.add(orgId);
        deps.log.warn({ orgId, err: (err as Error).message }, 'unkey credits mirror could not read the pool');
      }
    }
    return result;
  }

  function flush(): Promise<FlushResult> {
    flushing ??= flushOnce().finally(() => (flushing = undefined));
    return flushing;
  }

  const timer = setInterval(() => void flush(), deps.intervalMs);
  timer.unref();

  return {
    touch,
    flush,
    async close() {
      clearInterval(timer);
      await flushing;
      if (dirty.size) await flush();
    },
  };
}

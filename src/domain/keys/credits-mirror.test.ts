/**
 * The credits mirror's bookkeeping against the fake Unkey (test/support/fake-unkey.ts) through Portal's real
 * client: what is written for each pool, that unchanged values are not re-sent, that a write is confirmed one
 * flush later (correcting an older value another instance wrote after it), that failures are retried, that a
 * flush is bounded, and that monthly-token organizations are re-read while their window can still move.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUnkey, type FakeUnkey } from '#test/support/fake-unkey.js';
import { createLogger } from '#src/platform/log.js';
import { createUnkeyClient } from '#src/platform/unkey/client.js';
import { createCreditsMirror, creditsValue, MAX_UNKEY_CREDITS, type CreditsPool } from './credits-mirror.js';

const ROOT_KEY = 'unkey_root_mirror_test';
const API_ID = 'api_mirror_test';
const log = createLogger({ level: 'silent' });
let fake: FakeUnkey;

beforeAll(async () => {
  fake = await startFakeUnkey({ rootKey: ROOT_KEY, apiId: API_ID });
});
afterAll(() => fake?.close());

/** A mirror over in-memory pools and key lists, writing to the fake through the real client. */
function setup(options: { maxOrgsPerFlush?: number; resyncMs?: number } = {}) {
  const unkey = createUnkeyClient({ baseUrl: fake.url, rootKey: ROOT_KEY, timeoutMs: 1_000 });
  const pools = new Map<string, CreditsPool>();
  const keys = new Map<string, string[]>();
  let clock = 1_000_000;
  const mirror = createCreditsMirror({
    unkey,
    log,
    intervalMs: 3_600_000, // flushed by hand
    maxOrgsPerFlush: options.maxOrgsPerFlush ?? 100,
    resyncMs: options.resyncMs ?? 60_000,
    now: () => clock,
    pool: async (orgId) => (pools.has(orgId) ? pools.get(orgId)! : undefined),
    keysOf: async (orgId) => keys.get(orgId) ?? [],
  });
  const newKey = (orgId: string) => {
    const { keyId } = fake.insert({ apiId: API_ID, enabled: true, externalId: orgId });
    keys.set(orgId, [...(keys.get(orgId) ?? []), keyId]);
    return keyId;
  };
  /** An organization with `keys` keys at Unkey and this pool, touched; its Unkey key ids. */
  const org = (orgId: string, pool: CreditsPool, keys = 1) => {
    const ids = Array.from({ length: keys }, () => newKey(orgId));
    pools.set(orgId, pool);
    mirror.touch(orgId);
    return ids;
  };
  const remaining = (keyId: string | undefined) => {
    if (keyId === undefined) throw new Error('no such key in this test');
    return fake.keys.get(keyId)?.remaining;
  };
  const writes = () => fake.calls['/v2/keys.updateCredits'] ?? 0;
  return {
    mirror,
    pools,
    newKey,
    org,
    remaining,
    writes,
    advance: (ms: number) => (clock += ms),
  };
}

describe('unkey credits mirror', () => {
  it('writes the pool: micro-dollars, tokens, unlimited; whole, never negative, capped at int32', () => {
    expect(creditsValue({ unit: 'micros', remaining: 1_234.9 })).toBe(1_234);
    expect(creditsValue({ unit: 'tokens', remaining: -5 })).toBe(0);
    expect(creditsValue({ unit: 'micros', remaining: 9e12 })).toBe(MAX_UNKEY_CREDITS);
    expect(creditsValue(null)).toBeNull();
  });

  it("sets every key of a touched organization to its pool, and only the touched organizations'", async () => {
    const s = setup();
    const [a1, a2] = s.org('org_a', { unit: 'micros', remaining: 5_000_000 }, 2);
    const b1 = s.newKey('org_b');
    s.pools.set('org_b', { unit: 'tokens', remaining: 80_000 });
    expect(await s.mirror.flush()).toEqual({ orgs: 1, written: 2, failed: 0 });
    expect([s.remaining(a1), s.remaining(a2), s.remaining(b1)]).toEqual([5_000_000, 5_000_000, undefined]);
    s.pools.set('org_a', null);
    s.mirror.touch('org_a');
    s.mirror.touch('org_b');
    await s.mirror.flush();
    expect([s.remaining(a1), s.remaining(a2), s.remaining(b1)]).toEqual([null, null, 80_000]);
    await s.mirror.close();
  });

  it('does not re-send an unchanged value; confirms a write one flush later, writing again if the pool moved', async () => {
    const s = setup();
    const [k] = s.org('org_c', { unit: 'micros', remaining: 700 });
    await s.mirror.flush();
    const after = s.writes();
    // Meanwhile another instance wrote an older value and more usage was settled: the confirming read writes the new one.
    fake.keys.get(k!)!.remaining = 900;
    s.pools.set('org_c', { unit: 'micros', remaining: 650 });
    expect(await s.mirror.flush()).toMatchObject({ orgs: 1, written: 1 });
    expect(s.remaining(k)).toBe(650);
    // The confirmation of that write reads 650 again: nothing to send, and then nothing left to confirm.
    expect(await s.mirror.flush()).toEqual({ orgs: 1, written: 0, failed: 0 });
    expect(await s.mirror.flush()).toEqual({ orgs: 0, written: 0, failed: 0 });
    s.mirror.touch('org_c');
    await s.mirror.flush();
    expect(s.writes()).toBe(after + 1);
    await s.mirror.close();
  });

  it('keeps an organization marked while Unkey is away and writes it once Unkey answers', async () => {
    const s = setup();
    const [k] = s.org('org_d', { unit: 'micros', remaining: 42 });
    fake.mode = 'down';
    try {
      expect(await s.mirror.flush()).toMatchObject({ orgs: 1, written: 0, failed: 1 });
    } finally {
      fake.mode = 'up';
    }
    expect(s.remaining(k)).toBeUndefined();
    expect(await s.mirror.flush()).toMatchObject({ orgs: 1, written: 1, failed: 0 });
    expect(s.remaining(k)).toBe(42);
    await s.mirror.close();
  });

  it('skips a key deleted at Unkey (revoked) without failing the rest', async () => {
    const s = setup();
    const [gone, kept] = s.org('org_e', { unit: 'micros', remaining: 10 }, 2);
    fake.keys.get(gone!)!.deleted = true;
    expect(await s.mirror.flush()).toEqual({ orgs: 1, written: 1, failed: 0 });
    expect(s.remaining(kept)).toBe(10);
    await s.mirror.close();
  });

  it('writes at most maxOrgsPerFlush organizations per flush; the rest wait their turn', async () => {
    const s = setup({ maxOrgsPerFlush: 2 });
    for (const o of ['org_f1', 'org_f2', 'org_f3']) s.org(o, null);
    expect((await s.mirror.flush()).orgs).toBe(2);
    expect((await s.mirror.flush()).orgs).toBe(2); // the third, and one confirmation
    await s.mirror.close();
  });

  it('re-reads a monthly-token organization every resyncMs for 30 days after its last touch', async () => {
    const s = setup({ resyncMs: 60_000 });
    const [k] = s.org('org_g', { unit: 'tokens', remaining: 1_000 });
    await s.mirror.flush();
    await s.mirror.flush(); // confirmation
    // The 30-day window frees tokens with no new traffic: the next re-read writes them.
    s.pools.set('org_g', { unit: 'tokens', remaining: 3_000 });
    expect((await s.mirror.flush()).orgs).toBe(0);
    s.advance(60_000);
    expect(await s.mirror.flush()).toMatchObject({ orgs: 1, written: 1 });
    expect(s.remaining(k)).toBe(3_000);
    await s.mirror.flush(); // confirmation
    s.advance(31 * 86_400_000);
    expect((await s.mirror.flush()).orgs).toBe(0);
    await s.mirror.close();
  });
});

/**
 * The limiter contract (limits.md), run against every implementation: memory always, Redis with REDIS_URL.
 * Time is injected: T0 is aligned to every bucket width used here, so bucket boundaries are easy to read.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { LimitSpec, Limiter } from '#src/platform/limiter/types.js';
import { limiterTargets } from './targets.js';

const T0 = 1_800_000_000_000;
const MINUTE = 60_000;
const DAY = 86_400_000;

const rpm = (limit: number, key = 'rl:{org_1}:key_1:rpm'): LimitSpec => ({
  key,
  limit,
  windowMs: MINUTE,
  cost: 1,
});

for (const target of limiterTargets()) {
  describe(`limiter contract (${target.name})`, () => {
    afterAll(() => target.cleanup());
    const fresh = (): Promise<Limiter> => target.create();

    it('admits up to the limit, then refuses with retry-after until the oldest bucket leaves', async () => {
      const limiter = await fresh();
      for (const t of [T0, T0 + 1_500, T0 + 2_500])
        expect((await limiter.consume([rpm(3)], t)).allowed).toBe(true);
      const refused = await limiter.consume([rpm(3)], T0 + 3_000);
      expect(refused).toMatchObject({ allowed: false, blockedBy: 0, retryAfterMs: 58_000 });
      expect((await limiter.consume([rpm(3)], T0 + 60_999)).allowed).toBe(false);
      expect((await limiter.consume([rpm(3)], T0 + 61_000)).allowed).toBe(true);
    });

    it('reports used, remaining and reset for every limit of the call', async () => {
      const limiter = await fresh();
      const tpm: LimitSpec = { key: 'rl:{org_1}:key_1:tpm', limit: 1_000, windowMs: MINUTE, cost: 300 };
      await limiter.consume([rpm(10), tpm], T0 + 200);
      const d = await limiter.consume([rpm(10), tpm], T0 + 5_000);
      expect(d.allowed).toBe(true);
      expect(d.states).toEqual([
        { key: rpm(10).key, limit: 10, used: 2, remaining: 8, resetMs: 56_000 },
        { key: tpm.key, limit: 1_000, used: 600, remaining: 400, resetMs: 56_000 },
      ]);
    });

    it('charges nothing when one of several limits refuses', async () => {
      const limiter = await fresh();
      const perKey = rpm(100, 'rl:{org_2}:key_1:rpm');
      const perOrg: LimitSpec = { key: 'rl:{org_2}:rpd', limit: 2, windowMs: DAY, buckets: 1_440, cost: 1 };
      await limiter.consume([perKey, perOrg], T0);
      await limiter.consume([perKey, perOrg], T0 + 1);
      const refused = await limiter.consume([perKey, perOrg], T0 + 2);
      expect(refused).toMatchObject({ allowed: false, blockedBy: 1 });
      const [key, org] = await limiter.peek([perKey, perOrg], T0 + 3);
      expect(key!.used).toBe(2);
      expect(org!.used).toBe(2);
    });

    it('retry-after is the longest wait of all refusing limits', async () => {
      const limiter = await fresh();
      const a = rpm(1, 'rl:{o}:a');
      const b: LimitSpec = { key: 'rl:{o}:b', limit: 1, windowMs: 2 * MINUTE, buckets: 120, cost: 1 };
      await limiter.consume([a, b], T0);
      const refused = await limiter.consume([a, b], T0 + 10_000);
      expect(refused).toMatchObject({ allowed: false, blockedBy: 0, retryAfterMs: 111_000 });
    });

    it('retry-after walks buckets from the oldest until enough tokens have left', async () => {
      const limiter = await fresh();
      const tokens = (cost: number): LimitSpec => ({ key: 'rl:{o}:tpm', limit: 100, windowMs: MINUTE, cost });
      await limiter.consume([tokens(30)], T0);
      await limiter.consume([tokens(30)], T0 + 10_000);
      await limiter.consume([tokens(30)], T0 + 20_000);
      // 90 used; 50 more needs 40 to leave: the buckets of T0 and T0 + 10 s, the second leaving at T0 + 71 s.
      const refused = await limiter.consume([tokens(50)], T0 + 30_000);
      expect(refused).toMatchObject({ allowed: false, retryAfterMs: 41_000 });
      expect((await limiter.consume([tokens(50)], T0 + 70_999)).allowed).toBe(false);
      expect((await limiter.consume([tokens(50)], T0 + 71_000)).allowed).toBe(true);
    });

    it('retry-after is null when the cost exceeds the limit itself', async () => {
      const limiter = await fresh();
      const d = await limiter.consume([{ key: 'rl:{o}:tpm', limit: 100, windowMs: MINUTE, cost: 101 }], T0);
      expect(d).toMatchObject({ allowed: false, retryAfterMs: null });
    });

    it('settle returns unused reservation to the bucket it was charged to', async () => {
      const limiter = await fresh();
      const tokens = (cost: number): LimitSpec => ({ key: 'rl:{o}:tpm', limit: 150, windowMs: MINUTE, cost });
      const first = await limiter.consume([tokens(100)], T0);
      if (!first.allowed) throw new Error('first reservation refused');
      expect((await limiter.consume([tokens(120)], T0 + 1_000)).allowed).toBe(false);
      await limiter.settle(first.charges, [-70], T0 + 2_000);
      const [state] = await limiter.peek([tokens(0)], T0 + 2_000);
      expect(state).toMatchObject({ used: 30, resetMs: 59_000 });
      expect((await limiter.consume([tokens(120)], T0 + 2_000)).allowed).toBe(true);
    });

    it('settle ignores a refund whose bucket already left the window', async () => {
      const limiter = await fresh();
      const tokens = (cost: number): LimitSpec => ({ key: 'rl:{o}:tpm', limit: 150, windowMs: MINUTE, cost });
      const first = await limiter.consume([tokens(100)], T0);
      if (!first.allowed) throw new Error('first reservation refused');
      await limiter.consume([tokens(40)], T0 + 30_000);
      await limiter.settle(first.charges, [-100], T0 + 61_000);
      const [state] = await limiter.peek([tokens(0)], T0 + 61_000);
      expect(state!.used).toBe(40);
    });

    it('settle adds usage past the reservation to the current bucket, even over the limit', async () => {
      const limiter = await fresh();
      const tokens = (cost: number): LimitSpec => ({ key: 'rl:{o}:tpm', limit: 100, windowMs: MINUTE, cost });
      const first = await limiter.consume([tokens(90)], T0);
      if (!first.allowed) throw new Error('reservation refused');
      await limiter.settle(first.charges, [+30], T0 + 30_000);
      const [state] = await limiter.peek([tokens(0)], T0 + 30_000);
      expect(state).toMatchObject({ used: 120, remaining: 0 });
      // The overage sits in the T0 + 30 s bucket: after T0 + 61 s only it counts.
      const [later] = await limiter.peek([tokens(0)], T0 + 61_000);
      expect(later).toMatchObject({ used: 30, resetMs: 30_000 });
    });

    it('peek reads without charging', async () => {
      const limiter = await fresh();
      await limiter.consume([rpm(2)], T0);
      for (let i = 0; i < 3; i++) expect((await limiter.peek([rpm(2)], T0 + 1))[0]!.used).toBe(1);
      expect((await limiter.consume([rpm(2)], T0 + 2)).allowed).toBe(true);
    });

    it('a 30-day window with 720 hourly buckets refuses until the first hour has left', async () => {
      const limiter = await fresh();
      const monthly: LimitSpec = {
        key: 'rl:{o}:tpmo',
        limit: 1_000,
        windowMs: 30 * DAY,
        buckets: 720,
        cost: 400,
      };
      await limiter.consume([monthly], T0 + 600_000);
      await limiter.consume([monthly], T0 + 5 * DAY);
      const refused = await limiter.consume([monthly], T0 + 29 * DAY);
      expect(refused).toMatchObject({ allowed: false, retryAfterMs: DAY + 3_600_000 });
      expect((await limiter.consume([monthly], T0 + 30 * DAY + 3_599_999)).allowed).toBe(false);
      expect((await limiter.consume([monthly], T0 + 30 * DAY + 3_600_000)).allowed).toBe(true);
    });

    it('a bucket count that does not divide the window still never over-admits', async () => {
      const limiter = await fresh();
      const odd: LimitSpec = { key: 'rl:{o}:odd', limit: 2, windowMs: 7_000, buckets: 3, cost: 1 };
      expect((await limiter.consume([odd], T0 + 6_000)).allowed).toBe(true);
      expect((await limiter.consume([odd], T0 + 12_000)).allowed).toBe(true);
      // Within 7 s of the admission at T0 + 6 s: refused.
      expect((await limiter.consume([odd], T0 + 12_999)).allowed).toBe(false);
    });

    it('keeps the whole count when a limit is reconfigured to another bucket width', async () => {
      const limiter = await fresh();
      await limiter.consume([rpm(5)], T0);
      await limiter.consume([rpm(5)], T0 + 1_000);
      const reconfigured: LimitSpec = { ...rpm(5), buckets: 6 };
      const [state] = await limiter.peek([reconfigured], T0 + 2_000);
      expect(state!.used).toBe(2);
    });

    it('rejects a call naming the same key twice', async () => {
      const limiter = await fresh();
      await expect(limiter.consume([rpm(5), rpm(6)], T0)).rejects.toThrow(/twice/);
    });

    it('rejects a call whose keys do not share one hash tag (one Redis Cluster slot), charging nothing', async () => {
      const limiter = await fresh();
      const other = rpm(5, 'rl:{org_9}:key_1:rpm');
      await expect(limiter.consume([rpm(5), other], T0)).rejects.toThrow(/hash tag/);
      await expect(limiter.peek([rpm(5), { ...rpm(5), key: 'rl:untagged:rpm' }], T0)).rejects.toThrow(
        /hash tag/,
      );
      const [state] = await limiter.peek([other], T0);
      expect(state!.used).toBe(0);
    });

    it('forgets idle subjects once their window has passed', async () => {
      const limiter = await fresh();
      await limiter.consume([rpm(1)], T0);
      const d = await limiter.consume([rpm(1)], T0 + 10 * MINUTE);
      expect(d.allowed).toBe(true);
      expect(d.states[0]).toMatchObject({ used: 1, resetMs: MINUTE + 1_000 });
    });
  });
}

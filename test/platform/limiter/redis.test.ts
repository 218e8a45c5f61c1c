/**
 * What only the Redis limiter can show: separate connections (as separate gateway instances) racing on one
 * limit never admit more than it, the server clock is used when the caller gives none, and scripts the server
 * does not hold yet are sent in full. The same on a three-node Redis Cluster, where the scripts run on the
 * node owning the hash tag's slot.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, expect, it, vi } from 'vitest';
import { createMemoryLimiter } from '#src/platform/limiter/memory.js';
import { CONSUME_SCRIPT } from '#src/platform/limiter/lua.js';
import { createRedisLimiter, runScript, slotTag } from '#src/platform/limiter/redis.js';
import { connectRedis } from '#src/platform/redis/client.js';
import type { Charge, LimitSpec, Limiter } from '#src/platform/limiter/types.js';
import { useRedisCluster } from '#test/support/redis-cluster.js';
import { describeWith } from '#test/support/services.js';
import { deleteKeys, testPrefix } from './targets.js';

const CONNECTIONS = 6;
const CALLS_PER_CONNECTION = 150;

describeWith(['redis'], 'redis limiter across connections', () => {
  const url = process.env.REDIS_URL!;
  const prefix = testPrefix();
  const limiters: Limiter[] = [];
  const connect = () => {
    const limiter = createRedisLimiter({ redis: new Redis(url), prefix });
    limiters.push(limiter);
    return limiter;
  };

  afterAll(async () => {
    const admin = new Redis(url);
    await deleteKeys(admin, prefix);
    await admin.quit();
    await Promise.all(limiters.map((l) => l.close()));
  });

  it(`${CONNECTIONS} connections × ${CALLS_PER_CONNECTION} concurrent calls admit exactly the limit`, async () => {
    const instances = Array.from({ length: CONNECTIONS }, connect);
    const spec: LimitSpec = { key: 'rl:{org_c}:key_1:rpm', limit: 100, windowMs: 60_000, cost: 1 };
    const decisions = await Promise.all(
      instances.flatMap((l) => Array.from({ length: CALLS_PER_CONNECTION }, () => l.consume([spec]))),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(100);
    const [state] = await instances[0]!.peek([spec]);
    expect(state!.used).toBe(100);
  });

  it('concurrent token reservations on two limits never overshoot either', async () => {
    const instances = Array.from({ length: CONNECTIONS }, connect);
    const limits = (cost: number): LimitSpec[] => [
      { key: 'rl:{org_t}:key_1:rpm', limit: 400, windowMs: 60_000, cost: 1 },
      { key: 'rl:{org_t}:key_1:tpm', limit: 5_000, windowMs: 60_000, cost },
    ];
    const costs = instances.flatMap((_, i) =>
      Array.from({ length: CALLS_PER_CONNECTION }, (_, j) => 1 + ((i * 37 + j * 11) % 90)),
    );
    const decisions = await Promise.all(
      costs.map((cost, n) => instances[n % CONNECTIONS]!.consume(limits(cost))),
    );
    const admitted = decisions.flatMap((d, n) => (d.allowed ? [costs[n]!] : []));
    expect(admitted.length).toBeGreaterThan(0);
    expect(admitted.length).toBeLessThanOrEqual(400);
    expect(admitted.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(5_000);
    const [requests, tokens] = await instances[0]!.peek(limits(0));
    expect(requests!.used).toBe(admitted.length);
    expect(tokens!.used).toBe(admitted.reduce((a, b) => a + b, 0));
  });

  it('answers exactly like the memory limiter on a random sequence (states, retry-after, charges)', async () => {
    const redis = connect();
    const memory = createMemoryLimiter();
    const specs: Array<Omit<LimitSpec, 'cost'>> = [
      { key: 'rl:{d}:rpm', limit: 6, windowMs: 10_000, buckets: 10 },
      { key: 'rl:{d}:tpm', limit: 120, windowMs: 10_000, buckets: 4 },
      { key: 'rl:{d}:tpd', limit: 300, windowMs: 45_000, buckets: 7 },
    ];
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed % n);
    let t = 1_800_000_000_000;
    const admitted: Charge[][] = [];
    for (let step = 0; step < 250; step++) {
      t += rand(5) === 0 ? rand(9_000) : rand(700);
      const action = rand(10);
      if (action < 7) {
        const call = specs
          .filter(() => rand(3) > 0)
          .map((s) => ({ ...s, cost: s.key.endsWith('rpm') ? 1 : rand(50) }));
        const [a, b] = [await memory.consume(call, t), await redis.consume(call, t)];
        expect(b, `step ${step}`).toEqual(a);
        if (a.allowed) admitted.push(a.charges);
      } else if (action < 9 && admitted.length) {
        const charges = admitted.splice(rand(admitted.length), 1)[0]!;
        const deltas = charges.map((c) => rand(c.amount + 15) - c.amount);
        await memory.settle(charges, deltas, t);
        await redis.settle(charges, deltas, t);
      } else {
        const call = specs.map((s) => ({ ...s, cost: 0 }));
        expect(await redis.peek(call, t), `peek at step ${step}`).toEqual(await memory.peek(call, t));
      }
    }
  });

  it('charges the bucket of the Redis clock when the caller passes no time', async () => {
    const limiter = connect();
    const admin = new Redis(url);
    const [seconds] = await admin.time();
    await admin.quit();
    const d = await limiter.consume([{ key: 'rl:{o}:clock', limit: 5, windowMs: 60_000, cost: 1 }]);
    if (!d.allowed) throw new Error('refused');
    expect(Math.abs(d.charges[0]!.bucketStart - Number(seconds) * 1_000)).toBeLessThan(5_000);
  });

  it('sends the whole script when the server does not hold it yet (NOSCRIPT)', async () => {
    const redis = new Redis(url);
    const source = `return 42 -- ${randomUUID()}`;
    const script = { source, sha: createHash('sha1').update(source).digest('hex') };
    expect(await redis.script('EXISTS', script.sha)).toEqual([0]);
    expect(await runScript(redis, script, [], [])).toBe(42);
    expect(await redis.script('EXISTS', script.sha)).toEqual([1]);
    await redis.quit();
  });

  /** A limiter on its own connection whose script calls (EVALSHA) are counted. */
  const counted = () => {
    const redis = new Redis(url);
    const scripts = vi.spyOn(redis, 'evalsha');
    const limiter = createRedisLimiter({ redis, prefix });
    limiters.push(limiter);
    return { limiter, scripts };
  };
  const tokens = (key: string, cost: number): LimitSpec => ({ key, limit: 1_000, windowMs: 60_000, cost });

  it('a settlement rides on the next admission of its slot: one script, the settlement first', async () => {
    const { limiter, scripts } = counted();
    const first = await limiter.consume([tokens('rl:{org_f}:k:1:tpm', 100), tokens('rl:{org_f}:o:tpd', 100)]);
    if (!first.allowed) throw new Error('refused');
    scripts.mockClear();
    const settled = limiter.settle(first.charges, [-60, -60]);
    const next = await limiter.consume([tokens('rl:{org_f}:k:1:tpm', 5), tokens('rl:{org_f}:o:tpd', 5)]);
    await settled;
    expect(scripts).toHaveBeenCalledTimes(1);
    expect(next.states.map((s) => s.used)).toEqual([45, 45]);
  });

  it('a settlement no admission picks up is sent alone within the turn', async () => {
    const { limiter, scripts } = counted();
    const first = await limiter.consume([tokens('rl:{org_g}:k:1:tpm', 100)]);
    if (!first.allowed) throw new Error('refused');
    scripts.mockClear();
    await limiter.settle(first.charges, [-30]);
    expect(scripts).toHaveBeenCalledTimes(1);
    expect((await limiter.peek([tokens('rl:{org_g}:k:1:tpm', 0)]))[0]!.used).toBe(70);
  });

  it('an admission on another slot does not carry a settlement (a cluster node holds only its own slots)', async () => {
    const { limiter, scripts } = counted();
    const a = await limiter.consume([tokens('rl:{org_h}:k:1:tpm', 100)]);
    if (!a.allowed) throw new Error('refused');
    scripts.mockClear();
    const settled = limiter.settle(a.charges, [-50]);
    const b = await limiter.consume([tokens('rl:{org_i}:k:1:tpm', 10)]);
    await settled;
    expect(scripts).toHaveBeenCalledTimes(2);
    expect(b.states[0]!.used).toBe(10);
    expect((await limiter.peek([tokens('rl:{org_h}:k:1:tpm', 0)]))[0]!.used).toBe(50);
  });

  it('names the hash slot of a key by its first non-empty {tag}, as Redis Cluster does', () => {
    expect(slotTag('rl:{org_1}:k:2:tpm')).toBe('org_1');
    expect(slotTag('p:rl:{org_1}:{x}')).toBe('org_1');
    expect(slotTag('rl:{}:k')).toBe('rl:{}:k');
    expect(slotTag('no-tag')).toBe('no-tag');
  });

  it("renews a key's expiry only when a newer bucket is charged (it lives until its newest bucket leaves)", async () => {
    const redis = new Redis(url);
    const limiter = createRedisLimiter({ redis, prefix });
    limiters.push(limiter);
    const spec: LimitSpec = { key: 'rl:{org_x}:ttl', limit: 100, windowMs: 2_000, buckets: 20, cost: 1 };
    const pttl = () => redis.pttl(`${prefix}${spec.key}`);
    // Start just after a bucket boundary (100 ms buckets on the Redis clock), so the next 40 ms stay in it.
    const [, micros] = await redis.time();
    await new Promise((r) => setTimeout(r, 105 - ((Number(micros) / 1_000) % 100)));
    await limiter.consume([spec]);
    const first = await pttl();
    expect(first).toBeGreaterThan(2_000);
    await new Promise((r) => setTimeout(r, 40));
    await limiter.consume([spec]);
    expect(await pttl()).toBeLessThan(first - 20); // same bucket: the expiry set by the first add stands
    await new Promise((r) => setTimeout(r, 120));
    await limiter.consume([spec]);
    expect(await pttl()).toBeGreaterThan(2_000); // a newer bucket: renewed
  });
});

describeWith(['redis-cluster'], 'redis limiter on a three-node Redis Cluster', () => {
  const cluster = useRedisCluster();
  const prefix = testPrefix();
  const limiters: Limiter[] = [];
  const connect = () => {
    const limiter = createRedisLimiter({
      redis: connectRedis({ kind: 'cluster', nodes: cluster.urls }),
      prefix,
    });
    limiters.push(limiter);
    return limiter;
  };
  afterAll(() => Promise.all(limiters.map((l) => l.close())));

  it('the cluster refuses a script over keys of two slots (CROSSSLOT): why every key carries a hash tag', async () => {
    const client = await cluster.client();
    const keys = ['rl:org_a:rpm', 'rl:org_b:rpm'];
    expect(await client.cluster('KEYSLOT', keys[0]!)).not.toBe(await client.cluster('KEYSLOT', keys[1]!));
    await expect(
      runScript(client, CONSUME_SCRIPT, keys, [
        '',
        'peek',
        '1',
        '60000',
        '1000',
        '1',
        '1',
        '60000',
        '1000',
        '1',
      ]),
    ).rejects.toThrow(/CROSSSLOT/);
  });

  it(`${CONNECTIONS} cluster clients × ${CALLS_PER_CONNECTION} concurrent calls admit exactly the limit, key and org limits together`, async () => {
    const instances = Array.from({ length: CONNECTIONS }, connect);
    const limits: LimitSpec[] = [
      { key: 'rl:{org_c}:k:key_1:rpm', limit: 100, windowMs: 60_000, cost: 1 },
      { key: 'rl:{org_c}:o:rpd', limit: 1_000, windowMs: 86_400_000, buckets: 1_440, cost: 1 },
    ];
    const decisions = await Promise.all(
      instances.flatMap((l) => Array.from({ length: CALLS_PER_CONNECTION }, () => l.consume(limits))),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(100);
    const [key, org] = await instances[0]!.peek(limits);
    expect([key!.used, org!.used]).toEqual([100, 100]);
  });

  it('auto-pipelined decisions for organizations on every node all succeed (scripts are not batched by sha)', async () => {
    const limiter = createRedisLimiter({
      redis: connectRedis({ kind: 'cluster', nodes: cluster.urls }, { enableAutoPipelining: true }),
      prefix,
    });
    limiters.push(limiter);
    const spec = (org: number): LimitSpec => ({
      key: `rl:{org_${org}}:k:rpm`,
      limit: 3,
      windowMs: 60_000,
      cost: 1,
    });
    const decisions = await Promise.all(
      Array.from({ length: 60 }, (_, i) => limiter.consume([spec(i % 12)])),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(36);
  });

  it('loads the script on the node that owns the slot when it does not hold it yet (NOSCRIPT)', async () => {
    const client = await cluster.client();
    const source = `return redis.call('INCR', KEYS[1]) -- ${randomUUID()}`;
    const script = { source, sha: createHash('sha1').update(source).digest('hex') };
    for (const tag of ['a', 'b', 'c', 'd'])
      expect(await runScript(client, script, [`n:{${tag}}`], [])).toBe(1);
  });
});

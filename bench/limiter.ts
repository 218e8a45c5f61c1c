/**
 * Limiter micro-benchmark: decisions per second (and p50/p99 latency) of the memory and the Redis limiter,
 * with 1 and 50 concurrent callers, each decision checking the gateway's four limits (key rpm + tpm, org
 * rpd + tpd). Run: `REDIS_URL=redis://127.0.0.1:6379 npx tsx bench/limiter.ts [seconds per case]`.
 * Keys get a random prefix and are deleted afterwards.
 */
import { randomUUID } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { createMemoryLimiter } from '../src/platform/limiter/memory.js';
import { createRedisLimiter } from '../src/platform/limiter/redis.js';
import type { LimitSpec, Limiter } from '../src/platform/limiter/types.js';
import { deleteKeys } from '../test/platform/limiter/targets.js';

const seconds = Number(process.argv[2] ?? 3);
const HOUR = 3_600_000;

function specs(i: number): LimitSpec[] {
  const org = `org_${i % 100}`;
  return [
    { key: `rl:{${org}}:key_${i % 500}:rpm`, limit: 1e9, windowMs: 60_000, cost: 1 },
    { key: `rl:{${org}}:key_${i % 500}:tpm`, limit: 1e12, windowMs: 60_000, cost: 900 },
    { key: `rl:{${org}}:rpd`, limit: 1e9, windowMs: 24 * HOUR, buckets: 1_440, cost: 1 },
    { key: `rl:{${org}}:tpd`, limit: 1e12, windowMs: 24 * HOUR, buckets: 1_440, cost: 900 },
  ];
}

async function run(limiter: Limiter, concurrency: number) {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1_000;
  let n = 0;
  const worker = async () => {
    while (performance.now() < end) {
      const t = performance.now();
      const d = await limiter.consume(specs(n++));
      if (!d.allowed) throw new Error('bench limits are meant to admit everything');
      latencies.push(performance.now() - t);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1_000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.floor((latencies.length - 1) * p)]!.toFixed(3);
  return { perSecond: Math.round(latencies.length / elapsed), p50: pct(0.5), p99: pct(0.99) };
}

const rows: string[] = [];
const report = async (name: string, limiter: Limiter) => {
  for (const c of [1, 50]) {
    const r = await run(limiter, c);
    rows.push(`| ${name} | ${c} | ${r.perSecond.toLocaleString('en')} | ${r.p50} | ${r.p99} |`);
    console.error(rows.at(-1));
  }
};

await report('memory', createMemoryLimiter());
const url = process.env.REDIS_URL;
if (url) {
  const prefix = `bench:limiter:${randomUUID()}:`;
  const variants: Array<[string, RedisOptions]> = [
    ['redis', {}],
    ['redis (auto-pipelining)', { enableAutoPipelining: true }],
  ];
  for (const [name, options] of variants) {
    const limiter = createRedisLimiter({ redis: new Redis(url, options), prefix });
    await report(name, limiter);
    await limiter.close();
  }
  const admin = new Redis(url);
  await deleteKeys(admin, prefix);
  await admin.quit();
} else console.error('REDIS_URL not set: Redis cases skipped');

console.log(`\n4 limits per decision, ${seconds} s per case\n`);
console.log(
  '| limiter | concurrent callers | decisions/s | p50 ms | p99 ms |\n| --- | --- | --- | --- | --- |',
);
console.log(rows.join('\n'));

/**
 * What limits.provider = unkey costs per request (decision 021): decision latency and decisions per second of
 * Portal's own limiters (memory; Redis when REDIS_URL is set) beside the Unkey limiter, whose one
 * `ratelimit.multiLimit` call per decision goes to the fake Unkey (test/support/fake-unkey.ts) delaying every
 * answer by 0, 20 and 40 ms — the range of a nearby Unkey region (Unkey documents ~30 ms decisions). Each
 * decision carries the gateway's usual five limits (key rpm + tpm, org rpd + tpd + 30-day tokens).
 * With keys.provider unkey too ("unkey keys + limits"), the key windows go to `keys.verifyKey` with the key's
 * attached ratelimits and the organization's to `multiLimit`, in parallel (two calls, one round trip).
 * Run: `[REDIS_URL=redis://127.0.0.1:6379] npx tsx bench/unkey.ts [seconds per case]`. The fake runs in this
 * process, so its own CPU is counted against the Unkey rows at 50 callers (a conservative reading).
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createMemoryLimiter } from '../src/platform/limiter/memory.js';
import { createRedisLimiter } from '../src/platform/limiter/redis.js';
import { createUnkeyLimiter } from '../src/platform/limiter/unkey.js';
import type { ConsumeContext, LimitSpec, Limiter } from '../src/platform/limiter/types.js';
import { createUnkeyClient } from '../src/platform/unkey/client.js';
import { startFakeUnkey } from '../test/support/fake-unkey.js';
import { deleteKeys } from '../test/platform/limiter/targets.js';

const seconds = Number(process.argv[2] ?? 3);
const DAY = 86_400_000;

function specs(i: number): LimitSpec[] {
  const org = `org_${i % 100}`;
  const key = `key_${i % 500}`;
  return [
    { key: `rl:{${org}}:k:${key}:rpm`, limit: 1e9, windowMs: 60_000, cost: 1 },
    { key: `rl:{${org}}:k:${key}:tpm`, limit: 1e12, windowMs: 60_000, cost: 900 },
    { key: `rl:{${org}}:o:rpd`, limit: 1e9, windowMs: DAY, buckets: 1_440, cost: 1 },
    { key: `rl:{${org}}:o:tpd`, limit: 1e12, windowMs: DAY, buckets: 1_440, cost: 900 },
    { key: `rl:{${org}}:o:tpmo`, limit: 1e12, windowMs: 30 * DAY, buckets: 720, cost: 900 },
  ];
}

async function run(limiter: Limiter, concurrency: number, context?: (i: number) => ConsumeContext) {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1_000;
  let n = 0;
  const worker = async () => {
    while (performance.now() < end) {
      const t = performance.now();
      const i = n++;
      const d = await limiter.consume(specs(i), undefined, context?.(i));
      if (!d.allowed) throw new Error('bench limits are meant to admit everything');
      latencies.push(performance.now() - t);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1_000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => (latencies[Math.floor((latencies.length - 1) * p)] ?? NaN).toFixed(2);
  return { perSecond: Math.round(latencies.length / elapsed), p50: pct(0.5), p99: pct(0.99) };
}

const rows: string[] = [];
const report = async (name: string, limiter: Limiter, context?: (i: number) => ConsumeContext) => {
  for (const c of [1, 50]) {
    const r = await run(limiter, c, context);
    rows.push(`| ${name} | ${c} | ${r.perSecond.toLocaleString('en')} | ${r.p50} | ${r.p99} |`);
    console.error(rows.at(-1));
  }
};

await report('portal: memory', createMemoryLimiter());
const url = process.env.REDIS_URL;
if (url) {
  const prefix = `bench:unkey:${randomUUID()}:`;
  const limiter = createRedisLimiter({ redis: new Redis(url, { enableAutoPipelining: true }), prefix });
  await report('portal: Redis (local)', limiter);
  await limiter.close();
  const admin = new Redis(url);
  await deleteKeys(admin, prefix);
  await admin.quit();
} else console.error('REDIS_URL not set: the Redis case is skipped');

const fake = await startFakeUnkey({ rootKey: 'bench_root', apiId: 'api_bench' });
const unkey = createUnkeyLimiter({
  unkey: createUnkeyClient({ baseUrl: fake.url, rootKey: 'bench_root', timeoutMs: 5_000 }),
  namespacePrefix: 'portal',
});
for (const delayMs of [0, 20, 40]) {
  fake.delayMs = delayMs;
  await report(`unkey: fake, +${delayMs} ms per call`, unkey);
}
// keys.provider unkey too: 500 keys issued with their rpm/tpm attached, as Portal's key service issues them.
fake.delayMs = 0;
const client = createUnkeyClient({ baseUrl: fake.url, rootKey: 'bench_root', timeoutMs: 5_000 });
const ratelimits = [
  { name: 'portal.rpm', limit: 1e9, duration: 60_000, autoApply: false },
  { name: 'portal.tpm', limit: 1e12, duration: 60_000, autoApply: false },
];
const keys: string[] = [];
for (let i = 0; i < 500; i++)
  keys.push((await client.createKey({ apiId: 'api_bench', prefix: 'ptl', ratelimits })).key);
const withKeys = createUnkeyLimiter({ unkey: client, keyVerifier: client, namespacePrefix: 'portal' });
const credentialOf = (i: number) => ({ credential: () => keys[i % 500] ?? '' });
for (const delayMs of [0, 20, 40]) {
  fake.delayMs = delayMs;
  await report(`unkey keys + limits: fake, +${delayMs} ms per call`, withKeys, credentialOf);
}
await fake.close();

console.log(`\n5 limits per decision, ${seconds} s per case\n`);
console.log(
  '| limiter | concurrent callers | decisions/s | p50 ms | p99 ms |\n| --- | --- | --- | --- | --- |',
);
console.log(rows.join('\n'));

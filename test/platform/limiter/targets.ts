/**
 * The limiter implementations every contract test runs against: memory always, Redis when REDIS_URL is set
 * (each limiter on its own connection and a random key prefix, deleted after the suite), and a private
 * three-node Redis Cluster when redis-server is installed (started on first use, stopped after the suite).
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createMemoryLimiter } from '#src/platform/limiter/memory.js';
import { createRedisLimiter } from '#src/platform/limiter/redis.js';
import type { Limiter } from '#src/platform/limiter/types.js';
import { connectRedis } from '#src/platform/redis/client.js';
import { startRedisCluster, type RedisCluster } from '#test/support/redis-cluster.js';
import { hasService } from '#test/support/services.js';

export interface LimiterTarget {
  name: 'memory' | 'redis' | 'redis-cluster';
  /** A fresh limiter with no counters. */
  create(): Promise<Limiter>;
  /** Closes every limiter created and deletes their keys. */
  cleanup(): Promise<void>;
}

export function limiterTargets(): LimiterTarget[] {
  const targets = [memoryTarget()];
  if (hasService('redis')) targets.push(redisTarget(process.env.REDIS_URL!));
  else console.warn('SKIPPED limiter contract on Redis — REDIS_URL is not set');
  if (hasService('redis-cluster')) targets.push(clusterTarget());
  else console.warn('SKIPPED limiter contract on Redis Cluster — redis-server is not installed');
  return targets;
}

function memoryTarget(): LimiterTarget {
  const made: Limiter[] = [];
  return {
    name: 'memory',
    async create() {
      const limiter = createMemoryLimiter();
      made.push(limiter);
      return limiter;
    },
    async cleanup() {
      await Promise.all(made.splice(0).map((l) => l.close()));
    },
  };
}

export function testPrefix(): string {
  return `test:limiter:${randomUUID()}:`;
}

function redisTarget(url: string): LimiterTarget {
  const made: Array<{ limiter: Limiter; prefix: string }> = [];
  return {
    name: 'redis',
    async create() {
      const prefix = testPrefix();
      const limiter = createRedisLimiter({ redis: new Redis(url, { lazyConnect: false }), prefix });
      made.push({ limiter, prefix });
      return limiter;
    },
    async cleanup() {
      const admin = new Redis(url);
      for (const { limiter, prefix } of made.splice(0)) {
        await deleteKeys(admin, prefix);
        await limiter.close();
      }
      await admin.quit();
    },
  };
}

export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
}

/** Limiters on a three-node cluster through ioredis' cluster client (each its own client, one cluster). */
function clusterTarget(): LimiterTarget {
  let cluster: Promise<RedisCluster> | undefined;
  const made: Limiter[] = [];
  return {
    name: 'redis-cluster',
    async create() {
      cluster ??= startRedisCluster();
      const { urls } = await cluster;
      const limiter = createRedisLimiter({
        redis: connectRedis({ kind: 'cluster', nodes: urls }),
        prefix: testPrefix(),
      });
      made.push(limiter);
      return limiter;
    },
    async cleanup() {
      await Promise.all(made.splice(0).map((l) => l.close()));
      await (await cluster)?.stop();
      cluster = undefined;
    },
  };
}

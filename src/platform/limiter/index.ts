/**
 * Builds the process's limiter from config: with `limits.provider: unkey`, Unkey's ratelimit API (unkey.ts);
 * else with `redis.url` (or `redis.cluster`), the shared Redis limiter behind the per-instance
 * fallback (resilient.ts); without, the memory limiter (single instance). The Redis connection fails fast:
 * no offline queue, a short command timeout, no retries of a failed command — a dead Redis never holds a
 * request, it only switches decisions to the fallback until it answers again.
 */
import type { PortalConfig } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import { connectRedis, redisTargetOf, type RedisClient } from '../redis/client.js';
import { createMemoryLimiter } from './memory.js';
import { countDecision, limiterMetrics } from './metrics.js';
import { createRedisLimiter } from './redis.js';
import { createResilientLimiter } from './resilient.js';
import { createUnkeyLimiter } from './unkey.js';
import { unkeyClientFromConfig } from '../unkey/client.js';
import type { Limiter } from './types.js';

export type { Charge, ConsumeContext, LimitDecision, LimitSpec, LimitState, Limiter } from './types.js';
export { createMemoryLimiter } from './memory.js';
export { createRedisLimiter } from './redis.js';

export interface LimiterDeps {
  config: Pick<PortalConfig, 'redis'> & Partial<Pick<PortalConfig, 'limits' | 'keys'>>;
  log: Logger;
  metrics: Pick<Metrics, 'registry'>;
  /** How long a decision waits for Redis before falling back (ms; stall-aware, see redis.ts). */
  commandTimeoutMs?: number;
  /** How long start-up waits for the first connection before starting degraded. */
  connectWaitMs?: number;
  /** Prepended to every Redis key (tests). */
  keyPrefix?: string;
}

export async function createLimiter(deps: LimiterDeps): Promise<Limiter> {
  const { config, log } = deps;
  const metrics = limiterMetrics(deps.metrics.registry);
  metrics.degraded.set(0);
  // limits.provider = unkey: Unkey's ratelimit API decides (decision 021); Redis, if set, is not used for limits.
  if (config.limits?.provider === 'unkey')
    return createUnkeyLimiter({
      unkey: unkeyClientFromConfig(config.limits.unkey),
      namespacePrefix: config.limits.unkey.namespacePrefix,
      // keys.provider unkey too: per-key limits are the key's attached ratelimits, checked at keys.verifyKey.
      ...(config.keys?.provider === 'unkey' && config.keys.unkey
        ? { keyVerifier: unkeyClientFromConfig(config.keys.unkey) }
        : {}),
      log,
    });
  const target = redisTargetOf(config.redis);
  if (!target) return countingMemoryLimiter(metrics);
  const redis = connectRedis(target, {
    connectionName: 'portal-limiter',
    // Every command issued in one event-loop turn leaves in one socket write: at load, dozens of admissions
    // and settlements share a write instead of paying a syscall each (measured: docs/benchmarks.md).
    enableAutoPipelining: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // The decision timeout is the limiter's own (stall-aware, see redis.ts); this one only bounds a command
    // nobody waits for any more.
    commandTimeout: 4 * (deps.commandTimeoutMs ?? 300),
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  });
  await waitReady(redis, deps.connectWaitMs ?? 2_000);
  const primary = createRedisLimiter({
    redis,
    prefix: deps.keyPrefix ?? '',
    timeoutMs: deps.commandTimeoutMs ?? 300,
  });
  return createResilientLimiter({
    primary,
    onFailure: config.redis.onFailure,
    localShare: config.redis.localShare,
    log,
    metrics,
  });
}

function countingMemoryLimiter(metrics: ReturnType<typeof limiterMetrics>): Limiter {
  const inner = createMemoryLimiter();
  return {
    ...inner,
    async consume(limits, now) {
      const decision = await inner.consume(limits, now);
      countDecision(metrics, 'memory', decision, limits);
      return decision;
    },
  };
}

/**
 * Resolves when the connection is ready, its first attempt failed, or after `ms` — whichever comes first
 * (never rejects): an unreachable Redis starts the limiter degraded instead of delaying start-up.
 */
function waitReady(redis: RedisClient, ms: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      redis.off('error', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    redis.once('ready', done);
    redis.once('error', done);
  });
}

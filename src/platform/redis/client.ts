/**
 * Every Redis connection Portal opens comes from here: one node (`redis.url`), or Redis Cluster
 * (`redis.cluster`, or several comma-separated URLs in `redis.url`) through ioredis' cluster client, which
 * routes each command to the node holding its key's slot and follows MOVED/ASK redirections.
 *
 * What makes Portal cluster-safe is key naming, not this module: every script and multi-key command touches
 * keys of one hash tag (`rl:{org}:…` for a request's limits, `credits:{org}`, `portal:auth:{address}:…`), so it
 * runs on one slot. Pub/sub (the change bus) works unchanged: a PUBLISH on any node reaches subscribers on all.
 *
 *   const redis = connectRedis(redisTargetOf(config.redis), { connectionName: 'portal-limiter' });
 */
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { PortalConfig } from '../config/schema.js';

/** A connection to one Redis or to a Redis Cluster; both answer the same commands. */
export type RedisClient = Redis | Cluster;

export type RedisTarget = { kind: 'single'; url: string } | { kind: 'cluster'; nodes: string[] };

/** Where Redis is, from config: none (in-memory), one node, or a cluster's seed nodes. */
export function redisTargetOf(redis: Pick<PortalConfig['redis'], 'url' | 'cluster'>): RedisTarget | null {
  if (redis.cluster?.length) return { kind: 'cluster', nodes: redis.cluster };
  const urls = (redis.url ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  if (urls.length === 0) return null;
  if (urls.length === 1 && urls[0]) return { kind: 'single', url: urls[0] };
  return { kind: 'cluster', nodes: urls };
}

/** Whether any Redis is configured (else each instance keeps its own state in memory). */
export function hasRedis(redis: Pick<PortalConfig['redis'], 'url' | 'cluster'>): boolean {
  return redisTargetOf(redis) !== null;
}

/** Per-connection options; on a cluster they apply to every node connection. */
export type ClientOptions = Pick<
  RedisOptions,
  | 'connectionName'
  | 'enableAutoPipelining'
  | 'enableOfflineQueue'
  | 'maxRetriesPerRequest'
  | 'commandTimeout'
  | 'connectTimeout'
  | 'retryStrategy'
  | 'lazyConnect'
  | 'autoResubscribe'
>;

/**
 * Opens a connection to `target`. On a cluster the seed URLs' credentials (and `rediss:` TLS) apply to every
 * node discovered, and the cluster itself retries with `retryStrategy`.
 */
export function connectRedis(target: RedisTarget, options: ClientOptions = {}): RedisClient {
  const client = open(target, options);
  // Connection errors surface as failed commands and through each user's status(); without a listener
  // ioredis would print every one to stderr, outside pino.
  client.on('error', () => undefined);
  return client;
}

function open(target: RedisTarget, options: ClientOptions): RedisClient {
  if (target.kind === 'single') return new Redis(target.url, options);
  const { enableAutoPipelining, enableOfflineQueue, lazyConnect, retryStrategy, ...perNode } = options;
  const seed = new URL(target.nodes[0] ?? 'redis://127.0.0.1:6379');
  const clusterOptions: ClusterOptions = {
    enableAutoPipelining,
    // Auto-pipelining groups commands by the slot of their first argument, which for EVAL/EVALSHA is the
    // script, not a key: batches then mix nodes and ioredis fails them all ("All keys in the pipeline should
    // belong to the same slots allocation group"). Scripts leave one by one instead; commands defined with
    // defineCommand (keys first) still batch.
    autoPipeliningIgnoredCommands: ['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro'],
    enableOfflineQueue,
    lazyConnect,
    clusterRetryStrategy: retryStrategy ?? ((attempt) => Math.min(attempt * 100, 2_000)),
    redisOptions: {
      ...perNode,
      username: seed.username ? decodeURIComponent(seed.username) : undefined,
      password: seed.password ? decodeURIComponent(seed.password) : undefined,
      tls: seed.protocol === 'rediss:' ? {} : undefined,
    },
  };
  return new Cluster(target.nodes, clusterOptions);
}

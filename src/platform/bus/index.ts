/** Builds the process's change bus: Redis pub/sub when Redis (one node or a cluster) is set, else in-process. */
import type { PortalConfig } from '../config/schema.js';
import type { Logger } from '../log.js';
import { redisTargetOf } from '../redis/client.js';
import { createMemoryBus } from './memory.js';
import { createRedisBus } from './redis.js';
import type { Bus } from './types.js';

export type { Bus, BusHandler, BusMessage } from './types.js';

export interface BusDeps {
  config: Pick<PortalConfig, 'redis'>;
  log: Logger;
  /** Pub/sub channel (tests use a random one). */
  channel?: string;
}

export async function createBus({ config, log, channel }: BusDeps): Promise<Bus> {
  const target = redisTargetOf(config.redis);
  if (!target) return createMemoryBus();
  return createRedisBus({ target, log, channel });
}

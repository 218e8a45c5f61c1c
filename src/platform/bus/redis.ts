/**
 * The change bus across instances: Redis pub/sub on one channel, JSON messages validated on receipt (a
 * malformed one is dropped and logged, never thrown). Publishing and subscribing use separate connections;
 * after a reconnect the subscriber subscribes again, and the bus reports 'degraded' until it has — caches
 * then rely on their TTLs. A publish while Redis is down still reaches this instance's own subscribers.
 *
 * On Redis Cluster the same code runs: PUBLISH on any node is forwarded to every node's subscribers, and the
 * cluster client keeps its one subscriber connection on some node (moving it, subscriptions included, when
 * that node goes away). Classic, not sharded, pub/sub: the bus carries a few messages per admin change.
 */
import { z } from 'zod';
import type { Logger } from '../log.js';
import { connectRedis, type RedisClient, type RedisTarget } from '../redis/client.js';
import type { Bus, BusHandler, BusMessage } from './types.js';

export const DEFAULT_CHANNEL = 'portal:bus';
/** How often each bus publishes its heartbeat, and how long its own beat may take to come back. */
const HEARTBEAT_EVERY_MS = 250;
const HEARTBEAT_TIMEOUT_MS = 500;

const messageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('key.changed'), keyId: z.string(), keyHash: z.string().optional() }),
  z.object({ type: z.literal('org.changed'), orgId: z.string() }),
  z.object({ type: z.literal('model.changed'), modelId: z.string() }),
  z.object({ type: z.literal('plan.changed'), planId: z.string().optional(), orgId: z.string().optional() }),
  z.object({ type: z.literal('pool.changed'), poolId: z.string() }),
  z.object({ type: z.literal('cache.flush') }),
]) satisfies z.ZodType<BusMessage>;

export interface RedisBusOptions {
  /** One node or a cluster (a URL string means one node). */
  target: RedisTarget | string;
  log: Logger;
  channel?: string;
  /** Names the connections (`portal-bus-sub-<name>` in CLIENT LIST); default: the process id. */
  name?: string;
  /** How long start-up waits for the first subscription before starting degraded. */
  connectWaitMs?: number;
}

/** Parses one pub/sub payload into a BusMessage, or null when it is not one. */
export function parseBusMessage(raw: string): BusMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = messageSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export async function createRedisBus(options: RedisBusOptions): Promise<Bus> {
  const { log } = options;
  const channel = options.channel ?? DEFAULT_CHANNEL;
  const target =
    typeof options.target === 'string' ? { kind: 'single' as const, url: options.target } : options.target;
  const name = options.name ?? String(process.pid);
  const { pub, sub } = connect(target, name);
  const beatChannel = `${channel}:heartbeat:${name}:${Math.random().toString(36).slice(2, 10)}`;
  const handlers = new Set<BusHandler>();
  const warn = throttled(log, 60_000);
  const deliver = (message: BusMessage) => {
    for (const handler of handlers) {
      try {
        handler(message);
      } catch (err) {
        log.error({ err, type: message.type }, 'bus: a subscriber threw');
      }
    }
  };
  const subscription = follow(sub, [channel, beatChannel], { log, warn, deliver });
  const heart = heartbeat({ pub, beatChannel, subscription, log });
  sub.on('message', (from: string) => {
    if (from === beatChannel) heart.echoed();
  });
  // Start-up waits for the subscription and the publisher, but not for an unreachable Redis: the bus then
  // starts degraded.
  await within(options.connectWaitMs ?? 2_000, Promise.all([subscription.first, ready(pub)]), sub);

  return {
    kind: 'redis',

    async publish(message: BusMessage) {
      try {
        await pub.publish(channel, JSON.stringify(message));
      } catch (err) {
        warn({ err, type: message.type }, 'bus: publish failed, delivered to this instance only');
        deliver(message);
      }
    },

    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },

    status() {
      const subscribed = subscription.subscribed();
      if (subscribed && pub.status === 'ready') {
        if (!heart.hung()) return { state: 'ok' };
        return {
          state: 'degraded',
          detail: `Redis bus not answering (own heartbeat not back for ${heart.silentMs()} ms); caches re-read`,
        };
      }
      const down = [
        !subscribed && `subscriber ${sub.status}`,
        pub.status !== 'ready' && `publisher ${pub.status}`,
      ];
      return {
        state: 'degraded',
        detail: `Redis bus not connected (${down.filter(Boolean).join(', ')}); caches rely on their TTLs`,
      };
    },

    async close() {
      subscription.closing();
      heart.stop();
      handlers.clear();
      await Promise.all([pub, sub].map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}

/** Separate publisher and subscriber connections, named for CLIENT LIST; errors surface through status(). */
function connect(target: RedisTarget, name: string): { pub: RedisClient; sub: RedisClient } {
  const retryStrategy = (attempt: number) => Math.min(attempt * 100, 2_000);
  const pub = connectRedis(target, {
    connectionName: `portal-bus-pub-${name}`,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 1_000,
    retryStrategy,
  });
  const sub = connectRedis(target, {
    connectionName: `portal-bus-sub-${name}`,
    autoResubscribe: false,
    retryStrategy,
  });
  return { pub, sub };
}

type Warn = (fields: Record<string, unknown>, msg: string) => void;

/** A warning at most once per `everyMs`: a flapping Redis must not flood the log. */
function throttled(log: Logger, everyMs: number): Warn {
  let last = 0;
  return (fields, msg) => {
    if (Date.now() - last < everyMs) return;
    last = Date.now();
    log.warn(fields, msg);
  };
}

/**
 * Subscribes on every (re)connect, since ioredis's autoResubscribe is off so that `subscribed` tells the truth;
 * `first` resolves on the first subscription.
 */
function follow(
  sub: RedisClient,
  channels: string[],
  o: { log: Logger; warn: Warn; deliver: (m: BusMessage) => void },
) {
  const [channel] = channels;
  let subscribed = false;
  let subscribedAt = 0;
  let closing = false;
  const first = new Promise<void>((resolve) => {
    sub.on('ready', () => {
      sub.subscribe(...channels).then(
        () => {
          if (!subscribed) o.log.info({ channel }, 'bus: subscribed');
          subscribed = true;
          subscribedAt = Date.now();
          resolve();
        },
        (err: unknown) => o.warn({ err }, 'bus: subscribe failed, retrying on reconnect'),
      );
    });
  });
  sub.on('close', () => {
    if (subscribed && !closing)
      o.warn({ channel }, 'bus: subscriber disconnected, caches rely on their TTLs');
    subscribed = false;
  });
  sub.on('message', (from: string, raw: string) => {
    if (from !== channel) return;
    const message = parseBusMessage(raw);
    if (message) o.deliver(message);
    else o.warn({ bytes: raw.length }, 'bus: ignored a malformed message');
  });
  return {
    first,
    subscribed: () => subscribed,
    subscribedAt: () => subscribedAt,
    closing: () => void (closing = true),
  };
}

/**
 * The bus's own heartbeat: a beat every HEARTBEAT_EVERY_MS while both connections are up, at most one in
 * flight; `hung()` while the last echo is older than HEARTBEAT_TIMEOUT_MS. A late timer (this process's event
 * loop stalled, not Redis) grants a fresh grace instead of reporting a hang. Logs once per transition.
 */
function heartbeat(o: {
  pub: RedisClient;
  beatChannel: string;
  subscription: { subscribed(): boolean; subscribedAt(): number };
  log: Logger;
}) {
  let lastEcho = Date.now();
  let lastTick = Date.now();
  let inFlight = false;
  let reported = false;
  const silentMs = () => Date.now() - Math.max(lastEcho, o.subscription.subscribedAt());
  const connected = () => o.subscription.subscribed() && o.pub.status === 'ready';
  const hung = () => connected() && silentMs() > HEARTBEAT_TIMEOUT_MS;
  const timer = setInterval(() => {
    const now = Date.now();
    if (now - lastTick > 2 * HEARTBEAT_EVERY_MS) lastEcho = Math.max(lastEcho, now - HEARTBEAT_EVERY_MS);
    lastTick = now;
    const isHung = hung();
    if (isHung !== reported) {
      reported = isHung;
      if (isHung) o.log.warn({ silentMs: silentMs() }, 'bus: Redis not answering, caches re-read');
      else o.log.info('bus: Redis answering again');
    }
    if (!connected() || inFlight) return;
    inFlight = true;
    o.pub.publish(o.beatChannel, '1').then(
      () => void (inFlight = false),
      () => void (inFlight = false),
    );
  }, HEARTBEAT_EVERY_MS);
  timer.unref();
  return {
    echoed: () => void (lastEcho = Date.now()),
    hung,
    silentMs,
    stop: () => clearInterval(timer),
  };
}

function ready(conn: RedisClient): Promise<void> {
  return new Promise<void>((resolve) => {
    if (conn.status === 'ready') resolve();
    else conn.once('ready', () => resolve());
  });
}

/** Waits for `started`, at most `ms`, and not at all past the subscriber's first connection error. */
async function within(ms: number, started: Promise<unknown>, sub: RedisClient): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    started,
    new Promise((resolve) => {
      timer = setTimeout(resolve, ms);
      sub.once('error', resolve);
    }),
  ]);
  clearTimeout(timer);
}

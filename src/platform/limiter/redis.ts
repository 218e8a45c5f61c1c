/**
 * The shared limiter: every decision is one Lua script (lua.ts) run with EVALSHA, falling back to EVAL when
 * the server does not know the script yet (NOSCRIPT, e.g. after a restart). Without a caller-supplied `now`
 * the script reads the Redis clock, so gateway instances with skewed clocks still share one window.
 */
import type { Charge, LimitDecision, LimitSpec, LimitState, Limiter } from './types.js';
import { CONSUME_SCRIPT, SETTLE_SCRIPT, type LuaScript } from './lua.js';
import type { RedisClient } from '../redis/client.js';
import { assertValidSpecs, DEFAULT_BUCKETS, windowOf } from './window.js';

export interface RedisLimiterOptions {
  /** The connection (one node or a cluster); the limiter owns it and quits it on close(). */
  redis: RedisClient;
  /** Prepended to every key (tests use a random one). */
  prefix?: string;
  /** A decision Redis has not answered within this long fails (the caller falls back); see stallAware(). */
  timeoutMs?: number;
}

/** How late a timer may fire before we call it our own stall rather than Redis's slowness. */
const STALL_MS = 50;

/**
 * Fails `reply` after `ms` — unless this process itself was stalled when the time came. Timers run before
 * the event loop reads sockets, so after a long synchronous stretch (a burst of a thousand requests) a plain
 * command timeout fires while Redis's answer already waits in the socket buffer, and the limiter would fall
 * back to per-instance limits for nothing. A timer that fires more than STALL_MS late is re-armed once, which
 * lets the pending read happen first.
 */
export function stallAware<T>(reply: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let rearmed = false;
    let due = performance.now() + ms;
    const expire = () => {
      if (!rearmed && performance.now() - due > STALL_MS) {
        rearmed = true;
        due = performance.now() + ms;
        timer = setTimeout(expire, ms);
        return;
      }
      reject(new Error(`Redis did not answer within ${ms} ms`));
    };
    let timer = setTimeout(expire, ms);
    reply.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (err: unknown) => (clearTimeout(timer), reject(err as Error)),
    );
  });
}

type Reply = number[];

export function createRedisLimiter({ redis, prefix = '', timeoutMs }: RedisLimiterOptions): Limiter {
  const run = (script: LuaScript, keys: string[], args: string[]) => {
    const reply = runScript(
      redis,
      script,
      keys.map((k) => prefix + k),
      args,
    ) as Promise<Reply>;
    return timeoutMs === undefined ? reply : stallAware(reply, timeoutMs);
  };

  async function decide(mode: 'consume' | 'peek', limits: LimitSpec[], now?: number) {
    assertValidSpecs(limits);
    const args = [timeArg(now), mode];
    for (const l of limits) {
      const w = windowOf(l);
      args.push(String(l.limit), String(l.windowMs), String(w.width), String(l.cost));
    }
    const reply = await run(
      CONSUME_SCRIPT,
      limits.map((l) => l.key),
      args,
    );
    const states = limits.map((l, i): LimitState => {
      const used = Number(reply[3 + i * 3]);
      return {
        key: l.key,
        limit: l.limit,
        used,
        remaining: Math.max(0, l.limit - used),
        resetMs: Number(reply[4 + i * 3]),
      };
    });
    return { reply, states };
  }

  return {
    kind: 'redis',

    async consume(limits: LimitSpec[], now?: number): Promise<LimitDecision> {
      const { reply, states } = await decide('consume', limits, now);
      if (Number(reply[0]) !== 1) {
        const retry = Number(reply[2]);
        return {
          allowed: false,
          states,
          blockedBy: Number(reply[1]),
          retryAfterMs: retry < 0 ? null : retry,
        };
      }
      const charges = limits.map((l, i): Charge => {
        const width = windowOf(l).width;
        return {
          key: l.key,
          windowMs: l.windowMs,
          buckets: l.buckets ?? DEFAULT_BUCKETS,
          bucketStart: Number(reply[5 + i * 3]) * width,
          amount: l.cost,
        };
      });
      return { allowed: true, states, charges };
    },

    async settle(charges: Charge[], deltas: number[], now?: number): Promise<void> {
      if (charges.length !== deltas.length) throw new TypeError('limiter: one delta per charge');
      const keys: string[] = [];
      const args = [timeArg(now)];
      charges.forEach((charge, i) => {
        const delta = deltas[i];
        if (delta === undefined || !Number.isSafeInteger(delta))
          throw new TypeError('limiter: deltas must be integers');
        if (delta === 0) return;
        const w = windowOf(charge);
        keys.push(charge.key);
        args.push(String(charge.windowMs), String(w.width), String(Math.floor(charge.bucketStart / w.width)));
        args.push(String(delta));
      });
      if (keys.length) await run(SETTLE_SCRIPT, keys, args);
    },

    async peek(limits: LimitSpec[], now?: number): Promise<LimitState[]> {
      return (await decide('peek', limits, now)).states;
    },

    status() {
      return redis.status === 'ready'
        ? { state: 'ok' }
        : { state: 'degraded', detail: `redis connection is ${redis.status}` };
    },

    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** EVALSHA, or EVAL when the server does not hold the script (NOSCRIPT: first use, restart, SCRIPT FLUSH). */
export async function runScript(
  redis: RedisClient,
  script: LuaScript,
  keys: string[],
  args: string[],
): Promise<unknown> {
  try {
    return await redis.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
    return await redis.eval(script.source, keys.length, ...keys, ...args);
  }
}

function timeArg(now: number | undefined): string {
  if (now === undefined) return '';
  if (!Number.isSafeInteger(now)) throw new TypeError('limiter: now must be an integer epoch ms');
  return String(now);
}

/**
 * The shared limiter: every decision is one Lua script (lua.ts) run with EVALSHA, falling back to EVAL when
 * the server does not know the script yet (NOSCRIPT, e.g. after a restart). Without a caller-supplied `now`
 * the script reads the Redis clock, so gateway instances with skewed clocks still share one window.
 *
 * One round trip per request: a settlement on the Redis clock waits (at most one event-loop turn) for the next
 * admission on the same hash slot and runs in its script, first (FOLDED_SCRIPT); one that finds no admission
 * by then is sent alone. Under load nearly every settlement rides on an admission.
 */
import type { Charge, LimitDecision, LimitSpec, LimitState, Limiter } from './types.js';
import { CONSUME_SCRIPT, FOLDED_SCRIPT, SETTLE_SCRIPT, type LuaScript } from './lua.js';
import type { RedisClient } from '../redis/client.js';
import { assertValidSpecs, DEFAULT_BUCKETS, hashTag, windowOf } from './window.js';

export interface RedisLimiterOptions {
  /** The connection (one node or a cluster); the limiter owns it and quits it on close(). */
  redis: RedisClient;
  /** Prepended to every key (tests use a random one). */
  prefix?: string;
  /** A decision Redis has not answered within this long fails (the caller falls back); see stallAware(). */
  timeoutMs?: number;
}

/**
 * A call Redis did not answer in time. Redis may still run it: `answer` settles when (if) its reply arrives,
 * so the caller that decided without it can reconcile (resilient.ts: an admission Redis made late is not
 * counted a second time by the outage write-back).
 */
export class LateAnswer extends Error {
  override name = 'LateAnswer';
  constructor(
    message: string,
    readonly answer: Promise<unknown>,
  ) {
    super(message);
    answer.catch(() => undefined); // nobody may be listening
  }
}

/** Rethrows a late consume as a LateAnswer that says whether Redis admitted (and so charged) after all. */
function lateAdmission(err: unknown): never {
  if (!(err instanceof LateAnswer)) throw err;
  throw new LateAnswer(
    err.message,
    err.answer.then((late) => Number((late as number[])[0]) === 1),
  );
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
      reject(new LateAnswer(`Redis did not answer within ${ms} ms`, reply));
    };
    let timer = setTimeout(expire, ms);
    reply.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (err: unknown) => (clearTimeout(timer), reject(err as Error)),
    );
  });
}

type Reply = number[];

/**
 * The part of a key Redis Cluster hashes: the first non-empty `{…}`, else the whole key. Keys of one tag
 * share a slot, so one script may touch them together; gateway keys carry the organization's tag
 * (`rl:{org}:…`, src/gateway/limits.ts).
 */
export function slotTag(key: string): string {
  return hashTag(key) ?? key;
}

/** The slot tag all of `keys` share, or undefined when they span several (or there are none). */
function sharedTag(keys: readonly string[], prefix: string): string | undefined {
  const first = keys[0];
  if (first === undefined) return undefined;
  const tag = slotTag(prefix + first);
  for (const key of keys) if (slotTag(prefix + key) !== tag) return undefined;
  return tag;
}

/** Settlements of one slot waiting for an admission to ride on: keys and argument groups, in order. */
interface Waiting {
  keys: string[];
  args: string[];
  settled: { resolve(): void; reject(err: unknown): void }[];
}

/** The keys and arguments of a folded script: the settled hashes first, then the limits (see lua.ts). */
function foldedCall(waiting: Waiting, keys: string[], decideArgs: string[]) {
  const [now = '', mode = 'consume', ...groups] = decideArgs;
  return {
    keys: waiting.keys.concat(keys),
    args: [now, mode, String(waiting.keys.length), ...waiting.args, ...groups],
  };
}

type Run = (script: LuaScript, keys: string[], args: string[]) => Promise<Reply>;

/** Settlements waiting, per slot, for an admission to ride on; sent alone at the end of the turn. */
function createRiders(run: Run, prefix: string) {
  const waiting = new Map<string, Waiting>();
  let sendScheduled = false;

  function settleWith(reply: Promise<unknown>, w: Waiting) {
    reply.then(
      () => w.settled.forEach((s) => s.resolve()),
      (err: unknown) => w.settled.forEach((s) => s.reject(err)),
    );
  }

  /** Sends the settlements no admission picked up during the turn they were made in. */
  function sendWaiting() {
    sendScheduled = false;
    for (const [tag, w] of waiting) {
      waiting.delete(tag);
      settleWith(run(SETTLE_SCRIPT, w.keys, ['', ...w.args]), w);
    }
  }

  return {
    settleWith,
    sendWaiting,
    /** Queues a settlement on the Redis clock; it resolves once Redis has applied it. */
    wait(tag: string, keys: string[], args: string[]): Promise<void> {
      let w = waiting.get(tag);
      if (!w) waiting.set(tag, (w = { keys: [], args: [], settled: [] }));
      w.keys.push(...keys);
      w.args.push(...args);
      const settled = new Promise<void>((resolve, reject) => w.settled.push({ resolve, reject }));
      if (!sendScheduled) {
        sendScheduled = true;
        setImmediate(sendWaiting);
      }
      return settled;
    },
    /**
     * The settlements waiting on the slot of `keys`, handed to the admission that takes them. An admission's
     * keys share one hash tag (assertValidSpecs), so the first key names the slot.
     */
    take(keys: string[]): Waiting | undefined {
      const first = keys[0];
      if (!waiting.size || first === undefined) return undefined;
      const tag = slotTag(prefix + first);
      const w = waiting.get(tag);
      if (w) waiting.delete(tag);
      return w;
    },
  };
}

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

  const riding = createRiders(run, prefix);

  async function decide(mode: 'consume' | 'peek', limits: LimitSpec[], now?: number) {
    assertValidSpecs(limits);
    const keys = limits.map((l) => l.key);
    const args = [timeArg(now), mode];
    for (const l of limits) {
      const w = windowOf(l);
      args.push(String(l.limit), String(l.windowMs), String(w.width), String(l.cost));
    }
    const riders = now === undefined ? riding.take(keys) : undefined;
    let reply: Reply;
    if (riders) {
      const folded = foldedCall(riders, keys, args);
      const sent = run(FOLDED_SCRIPT, folded.keys, folded.args);
      riding.settleWith(sent, riders);
      reply = await sent;
    } else reply = await run(CONSUME_SCRIPT, keys, args);
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
      const { reply, states } = await decide('consume', limits, now).catch(lateAdmission);
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
      const args: string[] = [];
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
      if (!keys.length) return;
      // On the Redis clock, and all on one slot (a gateway settlement always is): ride on the next admission.
      const tag = now === undefined ? sharedTag(keys, prefix) : undefined;
      if (tag !== undefined) return riding.wait(tag, keys, args);
      await run(SETTLE_SCRIPT, keys, [timeArg(now), ...args]);
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
      riding.sendWaiting();
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

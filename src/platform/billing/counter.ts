/**
 * The shared credit counter behind the credits guard: a hash per organization {balance, reserved, gen}.
 * Each operation is atomic: one Lua script on Redis, one synchronous function in memory.
 */
import type { RedisClient } from '#src/platform/redis/client.js';

export type ReserveResult =
  { state: 'admitted'; available: number } | { state: 'refused'; available: number } | { state: 'unloaded' };

export interface CreditCounter {
  readonly kind: 'memory' | 'redis';
  reserve(orgId: string, amount: number): Promise<ReserveResult>;
  /** Generation, read before the ledger so a concurrent `adjust` invalidates the load. */
  generation(orgId: string): Promise<number>;
  /** Sets the balance unless already loaded, or unless the generation moved since it was read. */
  load(orgId: string, balance: number, generation: number): Promise<void>;
  settle(orgId: string, reserved: number, actual: number): Promise<void>;
  adjust(orgId: string, delta: number): Promise<void>;
  /** balance − reserved, or null when not loaded. */
  available(orgId: string): Promise<number | null>;
  close(): Promise<void>;
}

export function createMemoryCounter(): CreditCounter {
  const orgs = new Map<string, { balance: number | null; reserved: number; gen: number }>();
  const of = (orgId: string) => {
    let o = orgs.get(orgId);
    if (!o) orgs.set(orgId, (o = { balance: null, reserved: 0, gen: 0 }));
    return o;
  };
  return {
    kind: 'memory',
    async reserve(orgId, amount) {
      const o = of(orgId);
      if (o.balance === null) return { state: 'unloaded' };
      const available = o.balance - o.reserved;
      if (available < amount) return { state: 'refused', available };
      o.reserved += amount;
      return { state: 'admitted', available: available - amount };
    },
    generation: async (orgId) => of(orgId).gen,
    async load(orgId, balance, generation) {
      const o = of(orgId);
      if (o.balance === null && o.gen === generation) o.balance = balance;
    },
    async settle(orgId, reserved, actual) {
      const o = of(orgId);
      o.reserved = Math.max(0, o.reserved - reserved);
      if (o.balance !== null) o.balance -= actual;
    },
    async adjust(orgId, delta) {
      const o = of(orgId);
      o.gen++;
      if (o.balance !== null) o.balance += delta;
    },
    async available(orgId) {
      const o = of(orgId);
      return o.balance === null ? null : o.balance - o.reserved;
    },
    async close() {
      orgs.clear();
    },
  };
}

const RESERVE = `
local b = redis.call('HGET', KEYS[1], 'balance')
if not b then return {-1, 0} end
local avail = tonumber(b) - tonumber(redis.call('HGET', KEYS[1], 'reserved') or '0')
local amount = tonumber(ARGV[1])
if avail < amount then return {0, avail} end
redis.call('HINCRBY', KEYS[1], 'reserved', amount)
return {1, avail - amount}`;

const LOAD = `
if redis.call('HEXISTS', KEYS[1], 'balance') == 1 then return 1 end
if (redis.call('HGET', KEYS[1], 'gen') or '0') ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'balance', ARGV[1], 'reserved', 0)
return 1`;

const SETTLE = `
if redis.call('HEXISTS', KEYS[1], 'balance') == 0 then return 0 end
local r = tonumber(redis.call('HGET', KEYS[1], 'reserved') or '0') - tonumber(ARGV[1])
if r < 0 then r = 0 end
redis.call('HSET', KEYS[1], 'reserved', r)
redis.call('HINCRBY', KEYS[1], 'balance', -tonumber(ARGV[2]))
return 1`;

const ADJUST = `
redis.call('HINCRBY', KEYS[1], 'gen', 1)
if redis.call('HEXISTS', KEYS[1], 'balance') == 1 then redis.call('HINCRBY', KEYS[1], 'balance', ARGV[1]) end
return 1`;

type Scripted = RedisClient & {
  creditReserve(key: string, amount: number): Promise<[number, number]>;
  creditLoad(key: string, balance: number, gen: number): Promise<number>;
  creditSettle(key: string, reserved: number, actual: number): Promise<number>;
  creditAdjust(key: string, delta: number): Promise<number>;
};

export function createRedisCounter(redis: RedisClient, prefix: string): CreditCounter {
  const r = redis as Scripted;
  r.defineCommand('creditReserve', { numberOfKeys: 1, lua: RESERVE });
  r.defineCommand('creditLoad', { numberOfKeys: 1, lua: LOAD });
  r.defineCommand('creditSettle', { numberOfKeys: 1, lua: SETTLE });
  r.defineCommand('creditAdjust', { numberOfKeys: 1, lua: ADJUST });
  // One hash per organization; the hash tag keeps it in one Redis Cluster slot.
  const key = (orgId: string) => `${prefix}credits:{${orgId}}`;
  return {
    kind: 'redis',
    async reserve(orgId, amount) {
      const [state, available] = await r.creditReserve(key(orgId), amount);
      if (state === -1) return { state: 'unloaded' };
      return { state: state === 1 ? 'admitted' : 'refused', available: Number(available) };
    },
    generation: async (orgId) => Number((await redis.hget(key(orgId), 'gen')) ?? 0),
    async load(orgId, balance, generation) {
      await r.creditLoad(key(orgId), balance, generation);
    },
    async settle(orgId, reserved, actual) {
      await r.creditSettle(key(orgId), reserved, actual);
    },
    async adjust(orgId, delta) {
      await r.creditAdjust(key(orgId), delta);
    },
    async available(orgId) {
      const [balance, reserved] = await redis.hmget(key(orgId), 'balance', 'reserved');
      return balance === null ? null : Number(balance) - Number(reserved ?? 0);
    },
    async close() {
      await redis.quit().catch(() => {});
    },
  };
}

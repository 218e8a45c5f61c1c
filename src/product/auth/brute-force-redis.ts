/**
 * The brute-force guard on Redis, shared by every instance: one Lua script counts an attempt and decides,
 * atomically, with the same rules as the memory guard (./brute-force.ts). Keys of one client address share
 * a hash tag, so the script also runs on Redis Cluster. While Redis is unreachable each instance guards on
 * its own (the memory guard) rather than letting every guess through.
 */
import type { RedisClient } from '#src/platform/redis/client.js';
import type { Logger } from '#src/platform/log.js';
import { createAttemptGuard, DEFAULT_POLICY, type AttemptGuard, type GuardPolicy } from './brute-force.js';

// KEYS[1] = pair hash {c = counted attempts, b = blocked until}, KEYS[2] = address counter.
// ARGV = now, windowMs, maxFailures, maxPerAddress, baseBackoffMs, maxBackoffMs. Returns the wait in ms (0 = go).
const BEGIN = `
local now, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local maxFailures, maxPerAddress = tonumber(ARGV[3]), tonumber(ARGV[4])
local base, cap = tonumber(ARGV[5]), tonumber(ARGV[6])
local blocked = tonumber(redis.call('HGET', KEYS[1], 'b') or '0')
if blocked > now then return blocked - now end
local perAddress = tonumber(redis.call('GET', KEYS[2]) or '0')
if perAddress >= maxPerAddress then
  local ttl = redis.call('PTTL', KEYS[2])
  if ttl < 1 then ttl = window end
  return ttl
end
local count = redis.call('HINCRBY', KEYS[1], 'c', 1)
if count >= maxFailures then
  blocked = now + math.min(cap, base * 2 ^ (count - maxFailures))
  redis.call('HSET', KEYS[1], 'b', blocked)
end
redis.call('PEXPIRE', KEYS[1], math.max(blocked - now, 0) + window)
if redis.call('INCR', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], window) end
return 0`;

const SUCCEEDED = `
redis.call('DEL', KEYS[1])
if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
return 0`;

export function createRedisAttemptGuard(
  redis: RedisClient,
  log: Logger,
  policy: GuardPolicy = DEFAULT_POLICY,
): AttemptGuard {
  const fallback = createAttemptGuard(policy);
  const keys = (subject: string, address: string) => {
    const tag = `portal:auth:{${address}}`;
    return [`${tag}:pair:${subject}`, `${tag}:address`];
  };
  const unavailable = (err: unknown) =>
    log.warn({ err: (err as Error).message }, 'brute-force guard: Redis unreachable, guarding per instance');
  return {
    async begin(subject, address, now = Date.now()) {
      try {
        const args = [now, policy.windowMs, policy.maxFailures, policy.maxPerAddress];
        args.push(policy.baseBackoffMs, policy.maxBackoffMs);
        const wait = Number(await redis.eval(BEGIN, 2, ...keys(subject, address), ...args));
        return wait > 0 ? { ok: false, retryAfterMs: wait } : { ok: true };
      } catch (err) {
        unavailable(err);
        return fallback.begin(subject, address, now);
      }
    },
    async succeeded(subject, address) {
      try {
        await redis.eval(SUCCEEDED, 2, ...keys(subject, address));
      } catch (err) {
        unavailable(err);
      }
      await fallback.succeeded(subject, address);
    },
  };
}

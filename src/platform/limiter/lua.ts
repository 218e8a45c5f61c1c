/**
 * The Redis side of the sliding window: one Lua script per decision, so every limit of a request is checked
 * and charged atomically in one round trip. Each limit is one hash: a field per bucket index with its amount,
 * plus `s` (running sum), `lo`/`hi` (oldest/newest bucket in use) and `b` (bucket width). The functions mirror
 * window.ts and memory.ts; the shared contract suite holds both to the same behaviour.
 *
 * Time: ARGV[1] is the caller's epoch ms, or '' to use the Redis server clock (TIME), which is what
 * production does so that every gateway instance shares one clock. Tests pass their own time.
 */
import { createHash } from 'node:crypto';

export interface LuaScript {
  source: string;
  sha: string;
}

const PRELUDE = `
local t = tonumber(ARGV[1])
if not t then
  local now = redis.call('TIME')
  t = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
end

-- Integers go to Redis through %d: Lua's default number formatting may switch to exponent notation.
local function d(x) return string.format('%d', x) end

local function save(c)
  if c.s <= 0 then
    redis.call('DEL', c.key)
  else
    redis.call('HSET', c.key, 's', d(c.s), 'lo', d(c.lo), 'hi', d(c.hi), 'b', d(c.b))
  end
end

-- The key lives until its newest bucket leaves the window. When bucket k already holds an amount (k is the
-- newest, hi), the add that first charged it set that expiry at a time >= k * b, which is no earlier than
-- (k + 1) * b + W: nothing to renew (one command less per limit on most admissions).
local function add(c, amount)
  local k = math.floor(t / c.b)
  local renew = c.s <= 0 or k ~= c.hi
  if c.s <= 0 then c.lo = k; c.hi = k end
  redis.call('HINCRBY', c.key, d(k), d(amount))
  c.s = c.s + amount
  if k < c.lo then c.lo = k end
  if k > c.hi then c.hi = k end
  save(c)
  if renew then redis.call('PEXPIRE', c.key, d(c.W + c.b)) end
  return k
end

local function advance(c)
  while c.lo < c.hi and redis.call('HEXISTS', c.key, d(c.lo)) == 0 do c.lo = c.lo + 1 end
end

-- The counter of key at time t with expired buckets dropped (each once: amortised O(1)).
local function load(key, W, b)
  local v = redis.call('HMGET', key, 's', 'lo', 'hi', 'b')
  local c = { key = key, W = W, b = b, s = tonumber(v[1]) or 0, lo = tonumber(v[2]), hi = tonumber(v[3]) }
  local k = math.floor(t / b)
  local oldest = math.floor((t - W) / b)
  if c.s > 0 and tonumber(v[4]) ~= b then
    -- window reconfigured: keep the whole sum in the current bucket (conservative, never over-admits)
    local sum = c.s
    redis.call('DEL', key)
    c.s = 0
    add(c, sum)
    return c
  end
  if c.s <= 0 or c.lo == nil or c.hi == nil or c.hi < oldest then
    if v[1] then redis.call('DEL', key) end
    c.s = 0; c.lo = k; c.hi = k
    return c
  end
  local dirty = c.lo < oldest
  while c.lo < oldest do
    local amount = tonumber(redis.call('HGET', key, d(c.lo)))
    if amount then
      c.s = c.s - amount
      redis.call('HDEL', key, d(c.lo))
    end
    c.lo = c.lo + 1
  end
  if dirty then
    advance(c)
    save(c)
  end
  return c
end

local function leaves_in(c, k)
  return (k + 1) * c.b + c.W - t
end

local function reset_ms(c)
  if c.s > 0 then return leaves_in(c, c.lo) end
  return 0
end

-- Walks buckets from the oldest until enough has left the window for cost to fit; -1 when it never can.
local function retry_after(c, limit, cost)
  if cost > limit then return -1 end
  local need = c.s + cost - limit
  local freed = 0
  for k = c.lo, c.hi do
    freed = freed + (tonumber(redis.call('HGET', c.key, d(k))) or 0)
    if freed >= need then return leaves_in(c, k) end
  end
  return leaves_in(c, c.hi)
end
`;

/**
 * The two decisions as functions over a slice of KEYS and ARGV, so one script can run a settlement and an
 * admission together (FOLDED_SCRIPT). `ko`: KEYS before the slice; `ao`: ARGV before the slice's first group.
 *
 * settle_all — per charge: windowMs, width, bucket index, delta. A negative delta goes back to the charged
 * bucket if it is still counted; a positive one is added to the current bucket.
 *
 * consume_all — per limit: limit, windowMs, width, cost. Returns { allowed (1/0), blockedBy (0-based, -1),
 * retryAfterMs (-1 = never), then per limit: used, resetMs, bucket index charged }.
 */
const DECISIONS = `
local function settle_all(ko, ao, n)
  for i = 1, n do
    local base = ao + (i - 1) * 4
    local delta = tonumber(ARGV[base + 4])
    local c = load(KEYS[ko + i], tonumber(ARGV[base + 1]), tonumber(ARGV[base + 2]))
    if delta > 0 then
      add(c, delta)
    elseif delta < 0 and c.s > 0 then
      local k = tonumber(ARGV[base + 3])
      local held = tonumber(redis.call('HGET', c.key, d(k)))
      if held then
        local back = math.min(held, -delta)
        if held - back > 0 then redis.call('HINCRBY', c.key, d(k), d(-back)) else redis.call('HDEL', c.key, d(k)) end
        c.s = c.s - back
        advance(c)
        save(c)
      end
    end
  end
end

local function consume_all(mode, ko, ao, n)
  local cs = {}
  local blocked = -1
  local retry = 0
  for i = 1, n do
    local base = ao + (i - 1) * 4
    local c = load(KEYS[ko + i], tonumber(ARGV[base + 2]), tonumber(ARGV[base + 3]))
    c.limit = tonumber(ARGV[base + 1])
    c.cost = tonumber(ARGV[base + 4])
    cs[i] = c
    if mode == 'consume' and c.s + c.cost > c.limit then
      if blocked < 0 then blocked = i - 1 end
      local wait = retry_after(c, c.limit, c.cost)
      if wait < 0 or retry < 0 then retry = -1 elseif wait > retry then retry = wait end
    end
  end
  local allowed = 0
  if mode == 'consume' and blocked < 0 then allowed = 1 end
  local out = { allowed, blocked, retry }
  for i = 1, n do
    local k = -1
    if allowed == 1 then k = add(cs[i], cs[i].cost) end
    out[#out + 1] = cs[i].s
    out[#out + 1] = reset_ms(cs[i])
    out[#out + 1] = k
  end
  return out
end
`;

/** KEYS: one hash per limit. ARGV: now, mode ('consume' | 'peek'), then the limits' groups. */
const CONSUME_BODY = `return consume_all(ARGV[2], 0, 2, #KEYS)`;

/** KEYS: one hash per charge. ARGV: now, then the charges' groups. */
const SETTLE_BODY = `settle_all(0, 1, #KEYS)
return 1`;

/**
 * A settlement folded into the next admission (redis.ts): KEYS: the s settled hashes, then the limits.
 * ARGV: now, mode, s, the charges' groups, then the limits' groups. The settlement runs first (it happened
 * first); the reply is the admission's.
 */
const FOLDED_BODY = `local s = tonumber(ARGV[3])
settle_all(0, 3, s)
return consume_all(ARGV[2], s, 3 + s * 4, #KEYS - s)`;

function script(body: string): LuaScript {
  const source = PRELUDE + DECISIONS + body;
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

export const CONSUME_SCRIPT = script(CONSUME_BODY);
export const SETTLE_SCRIPT = script(SETTLE_BODY);
export const FOLDED_SCRIPT = script(FOLDED_BODY);

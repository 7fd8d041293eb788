import type { RateLimitStore, TakeResult } from './rate-limit-store';

/**
 * The slice of a Redis client this store uses; ioredis and node-redis v4 (via a small
 * wrapper) fit it. Described by shape so `@kairos/exchange` does not depend on a client.
 */
export interface RedisEvalClient {
  eval(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
}

/**
 * Sliding-window log in a sorted set: score = grant time, member = "time:seq:cost".
 * ARGV: cost, limit, windowMs, now. Returns {granted (0/1), waitMs}. Times come from the
 * caller so that every process judges the window with the same clock source.
 */
const SCRIPT = `
local key = KEYS[1]
local cost = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local entries = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
local used = 0
local costs = {}
local times = {}
for i = 1, #entries, 2 do
  local member = entries[i]
  local c = tonumber(string.match(member, ':(%d+%.?%d*)$'))
  used = used + c
  costs[#costs + 1] = c
  times[#times + 1] = tonumber(entries[i + 1])
end
if used + cost <= limit then
  local seq = redis.call('INCR', key .. ':seq')
  redis.call('ZADD', key, now, now .. ':' .. seq .. ':' .. cost)
  redis.call('PEXPIRE', key, window * 2)
  redis.call('PEXPIRE', key .. ':seq', window * 2)
  return {1, 0}
end
local freed = 0
for i = 1, #costs do
  freed = freed + costs[i]
  if used - freed + cost <= limit then
    local w = times[i] + window - now + 1
    if w < 1 then w = 1 end
    return {0, w}
  end
end
return {0, window}
`;

/**
 * A budget shared by every process that talks to the same Redis: one per exchange and
 * API key (or IP) on a box, whatever number of users and workers use it.
 */
export class RedisRateLimitStore implements RateLimitStore {
  constructor(
    private readonly redis: RedisEvalClient,
    /** Prefix of every key this store writes (e.g. 'kairos:rl:'). */
    private readonly prefix = 'kairos:rl:',
  ) {}

  async take(key: string, cost: number, limit: number, windowMs: number, now: number): Promise<TakeResult> {
    const res = (await this.redis.eval(SCRIPT, 1, this.prefix + key, cost, limit, windowMs, now)) as [number, number];
    return { granted: Number(res[0]) === 1, waitMs: Number(res[1]) };
  }
}

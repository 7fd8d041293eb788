import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A Lua script run with EVALSHA, falling back to EVAL once when the server does not
 * have it cached (after a restart or SCRIPT FLUSH). Scripts run atomically, which is
 * how multi-key changes stay all-or-nothing.
 */
export class LuaScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(client: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await client.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return client.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

/**
 * saveOrder: the `mergeOrder` rule evaluated inside Redis, so concurrent writers cannot
 * interleave a read and a write. Identity, status and execution are kept as separate
 * fields holding the caller's JSON untouched (Lua's cjson would reformat numbers).
 * KEYS: order hash, user's orders zset, user's open set, user's symbol zset, users set,
 * owner hash (client order id → the order hash's key, so a lookup by id is one step).
 * ARGV: user, cid, owner, ident, id, status, rank, reason, exec, filled, updatedAt, createdAt, terminal.
 * Returns 1 when something changed, 0 for a no-op.
 */
export const SAVE_ORDER = new LuaScript(`
local k = KEYS[1]
local owner = redis.call('HGET', KEYS[6], ARGV[2])
if owner and owner ~= k then
  return redis.error_reply('ORDER_OWNER client order id ' .. ARGV[2] .. ' belongs to another user')
end
if redis.call('EXISTS', k) == 0 then
  redis.call('HSET', k, 'owner', ARGV[3], 'ident', ARGV[4], 'id', ARGV[5], 'status', ARGV[6], 'rank', ARGV[7],
    'reason', ARGV[8], 'exec', ARGV[9], 'filled', ARGV[10], 'updatedAt', ARGV[11])
  redis.call('ZADD', KEYS[2], ARGV[12], ARGV[2])
  redis.call('ZADD', KEYS[4], ARGV[12], ARGV[2])
  if ARGV[13] == '0' then redis.call('SADD', KEYS[3], ARGV[2]) end
  redis.call('SADD', KEYS[5], ARGV[1])
  redis.call('HSET', KEYS[6], ARGV[2], k)
  return 1
end
local cur = redis.call('HMGET', k, 'id', 'status', 'rank', 'filled', 'updatedAt')
local changed = 0
if cur[1] == '' and ARGV[5] ~= '' then
  redis.call('HSET', k, 'ident', ARGV[4], 'id', ARGV[5])
  changed = 1
end
local prank = tonumber(cur[3])
if cur[2] ~= ARGV[6] and prank < 4 and tonumber(ARGV[7]) >= prank then
  redis.call('HSET', k, 'status', ARGV[6], 'rank', ARGV[7])
  if ARGV[8] ~= '' then redis.call('HSET', k, 'reason', ARGV[8]) end
  if ARGV[13] == '1' then redis.call('SREM', KEYS[3], ARGV[2]) end
  changed = 1
end
if tonumber(ARGV[10]) > tonumber(cur[4]) then
  redis.call('HSET', k, 'exec', ARGV[9], 'filled', ARGV[10])
  changed = 1
end
if tonumber(ARGV[11]) > tonumber(cur[5]) then
  redis.call('HSET', k, 'updatedAt', ARGV[11])
  changed = 1
end
return changed
`);

/**
 * saveFill: set-if-absent by fill id. The caller's one-off token is kept beside the fill,
 * so a command that ioredis re-sends after a reconnect (the first copy did run, its
 * reply was lost) still answers "stored" to that caller and "duplicate" to any other.
 * KEYS: fills hash, tokens hash, order's fill-id set, users set. ARGV: fill id, json, token, user.
 */
export const SAVE_FILL = new LuaScript(`
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
  redis.call('SADD', KEYS[3], ARGV[1])
  redis.call('SADD', KEYS[4], ARGV[4])
  return 1
end
if redis.call('HGET', KEYS[2], ARGV[1]) == ARGV[3] then return 1 end
return 0
`);

/** saveTrade: data, time index and user set in one step. KEYS: trades hash, exit-time zset, users set. ARGV: id, json, exitTime, user. */
export const SAVE_TRADE = new LuaScript(`
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[4])
return 1
`);

/**
 * getOrder in one round trip: the owner hash maps the client order id to its order
 * key. KEYS: owner hash. ARGV: client order id. Returns HGETALL's flat array or nil.
 */
export const GET_ORDER = new LuaScript(`
local k = redis.call('HGET', KEYS[1], ARGV[1])
if not k then return nil end
return redis.call('HGETALL', k)
`);

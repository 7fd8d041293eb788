import { KairosError, type UserRecord, type UserStore } from '@kairos/core';
import type { KeyCheckStore, KeyCheckedWrite, KeyCheckedWriteResult } from './key-check-store';
import { parseUserRecord } from './user-record-schema';

/**
 * The part of a Redis client this store uses (ioredis fits), so the store can be
 * tested or wired without caring which client it is.
 */
export interface RedisHashClient {
  hget(key: string, field: string): Promise<string | null>;
  hset(key: string, field: string, value: string): Promise<number>;
  hsetnx(key: string, field: string, value: string): Promise<number>;
  hdel(key: string, field: string): Promise<number>;
  hvals(key: string): Promise<string[]>;
  get(key: string): Promise<string | null>;
  /** Runs a Lua script atomically (the key check writes need it). */
  eval(script: string, numKeys: number, ...args: string[]): Promise<unknown>;
  quit?(): Promise<unknown>;
}

export interface RedisUserStoreOptions {
  /** Prepended to every key this store writes; default `kairos:`. */
  readonly prefix?: string;
  /** Close the client on `close()`; set when the store created the client. */
  readonly ownsClient?: boolean;
}

function storeError(op: string, err: unknown): KairosError {
  return new KairosError('STORE_ERROR', `redis user store ${op} failed: ${err instanceof Error ? err.message : String(err)}`, { retryable: true });
}

// Key-checked write, atomic as every Lua script is. KEYS: users hash, check value.
// ARGV: expected check ('' = none), next check, id and JSON to create ('' = none), then
// id/JSON pairs to put.
const WRITE_KEY_CHECKED = `
local cur = redis.call('GET', KEYS[2]) or ''
if cur ~= ARGV[1] then return 'key-changed' end
if ARGV[3] ~= '' then
  if redis.call('HEXISTS', KEYS[1], ARGV[3]) == 1 then return 'exists' end
  redis.call('HSET', KEYS[1], ARGV[3], ARGV[4])
end
for i = 5, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('SET', KEYS[2], ARGV[2])
return 'written'
`;

/**
 * A `UserStore` in one Redis hash, `<prefix>users`, field = user id, value = the record
 * as JSON (credentials only as ciphertext). One `HSET` per write, so a user record is
 * never half-written. The registry's key check value is the string `<prefix>users:keycheck`,
 * written together with the records by one Lua script (both keys must live on one
 * server, as they do outside Redis Cluster).
 */
export class RedisUserStore implements UserStore, KeyCheckStore {
  readonly key: string;
  /** Where the registry's key check value is kept. */
  readonly keyCheckKey: string;
  private readonly ownsClient: boolean;

  constructor(
    private readonly redis: RedisHashClient,
    options: RedisUserStoreOptions = {},
  ) {
    this.key = `${options.prefix ?? 'kairos:'}users`;
    this.keyCheckKey = `${this.key}:keycheck`;
    this.ownsClient = options.ownsClient ?? false;
  }

  async get(id: string): Promise<UserRecord | undefined> {
    let raw: string | null;
    try {
      raw = await this.redis.hget(this.key, id);
    } catch (err) {
      throw storeError('get', err);
    }
    return raw === null ? undefined : parseUserRecord(raw, `${this.key}[${id}]`);
  }

  async list(): Promise<UserRecord[]> {
    let raws: string[];
    try {
      raws = await this.redis.hvals(this.key);
    } catch (err) {
      throw storeError('list', err);
    }
    return raws.map((r) => parseUserRecord(r, this.key)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async put(user: UserRecord): Promise<void> {
    try {
      await this.redis.hset(this.key, user.id, JSON.stringify(user));
    } catch (err) {
      throw storeError('put', err);
    }
  }

  /** `HSETNX`: atomic across processes and boxes. */
  async create(user: UserRecord): Promise<boolean> {
    try {
      return (await this.redis.hsetnx(this.key, user.id, JSON.stringify(user))) === 1;
    } catch (err) {
      throw storeError('create', err);
    }
  }

  async remove(id: string): Promise<boolean> {
    try {
      return (await this.redis.hdel(this.key, id)) > 0;
    } catch (err) {
      throw storeError('remove', err);
    }
  }

  async readKeyCheck(): Promise<string | undefined> {
    try {
      return (await this.redis.get(this.keyCheckKey)) ?? undefined;
    } catch (err) {
      throw storeError('key check read', err);
    }
  }

  async writeKeyChecked(write: KeyCheckedWrite): Promise<KeyCheckedWriteResult> {
    const args = [write.expected ?? '', write.next, write.create?.id ?? '', write.create ? JSON.stringify(write.create) : ''];
    for (const u of write.put ?? []) args.push(u.id, JSON.stringify(u));
    let result: unknown;
    try {
      result = await this.redis.eval(WRITE_KEY_CHECKED, 2, this.key, this.keyCheckKey, ...args);
    } catch (err) {
      throw storeError('key-checked write', err);
    }
    if (result === 'written' || result === 'exists' || result === 'key-changed') return result;
    throw new KairosError('STORE_ERROR', `redis user store key-checked write answered ${String(result)}`);
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.redis.quit?.();
  }
}

import { KairosError, type UserRecord, type UserStore } from '@kairos/core';
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

/**
 * A `UserStore` in one Redis hash, `<prefix>users`, field = user id, value = the record
 * as JSON (credentials only as ciphertext). One `HSET` per write, so a user record is
 * never half-written.
 */
export class RedisUserStore implements UserStore {
  readonly key: string;
  private readonly ownsClient: boolean;

  constructor(
    private readonly redis: RedisHashClient,
    options: RedisUserStoreOptions = {},
  ) {
    this.key = `${options.prefix ?? 'kairos:'}users`;
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

  async close(): Promise<void> {
    if (this.ownsClient) await this.redis.quit?.();
  }
}

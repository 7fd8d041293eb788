import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { MemoryUserStore, type UserRecord, type UserStore } from '@kairos/core';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { FileUserStore } from '../src/users/file-user-store';
import { RedisUserStore } from '../src/users/redis-user-store';
import { openUserStore, resolveUserStore } from '../src/users/open-user-store';

function user(id: string, patch: Partial<UserRecord> = {}): UserRecord {
  return {
    id,
    exchange: 'binance',
    preferredExchange: 'binance',
    credentials: { apiKey: 'kx1:a:b:c:d', secret: 'kx1:a:b:c:e', apiKeyHint: '…' },
    deposit: 100,
    assets: { USDT: 100 },
    dailyTrades: { day: '2024-03-01', count: 0 },
    status: 'active',
    createdAt: 1,
    updatedAt: 1,
    ...patch,
  };
}

const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
const prefixes: string[] = [];
const dirs: string[] = [];

afterAll(async () => {
  for (const p of prefixes) {
    const keys = await redis.keys(`${p}*`);
    if (keys.length) await redis.del(...keys);
  }
  await redis.quit();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const factories: Record<string, () => Promise<UserStore>> = {
  memory: async () => new MemoryUserStore(),
  file: async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kairos-us-'));
    dirs.push(dir);
    return new FileUserStore(dir);
  },
  redis: async () => {
    const prefix = `kairos-test:${randomUUID()}:`;
    prefixes.push(prefix);
    return new RedisUserStore(redis, { prefix });
  },
};

// One behaviour, every implementation.
describe.each(Object.keys(factories))('UserStore behaviour: %s', (name) => {
  const make = factories[name] as () => Promise<UserStore>;

  it('puts, gets, replaces, lists in id order and removes', async () => {
    const s = await make();
    expect(await s.get('a')).toBeUndefined();
    await s.put(user('b'));
    await s.put(user('a'));
    await s.put(user('b', { status: 'suspended', deposit: 7 }));
    expect(await s.get('b')).toEqual(user('b', { status: 'suspended', deposit: 7 }));
    expect((await s.list()).map((u) => u.id)).toEqual(['a', 'b']);
    expect(await s.remove('a')).toBe(true);
    expect(await s.remove('a')).toBe(false);
    expect((await s.list()).map((u) => u.id)).toEqual(['b']);
  });

  it('creates only when the id is free, even when racing', async () => {
    const s = await make();
    const results = await Promise.all([s.create?.(user('x', { deposit: 1 })), s.create?.(user('x', { deposit: 2 }))]);
    expect(results.filter((r) => r === true), 'exactly one create wins').toHaveLength(1);
    expect(results.filter((r) => r === false)).toHaveLength(1);
    expect((await s.list()).map((u) => u.id)).toEqual(['x']);
  });

  it('treats ids as data, not as paths or patterns', async () => {
    const s = await make();
    await s.put(user('__proto__x'));
    await s.put(user('a.b-c_d'));
    expect(await s.get('*')).toBeUndefined();
    expect((await s.list()).map((u) => u.id)).toEqual(['__proto__x', 'a.b-c_d']);
  });
});

describe('store location', () => {
  it('resolves --store, then REDIS_URL, then .kairos under the cwd', () => {
    expect(resolveUserStore({ spec: 'file:data/u', env: { REDIS_URL: 'redis://x' }, cwd: '/srv' })).toEqual({ kind: 'file', dir: '/srv/data/u' });
    expect(resolveUserStore({ env: { REDIS_URL: 'redis://h:6379' }, cwd: '/srv' })).toEqual({ kind: 'redis', url: 'redis://h:6379', prefix: 'kairos:' });
    expect(resolveUserStore({ env: {}, cwd: '/srv' })).toEqual({ kind: 'file', dir: '/srv/.kairos' });
    expect(() => resolveUserStore({ spec: 'mysql://u:pw@h', env: {}, cwd: '/' })).toThrow(/--store/);
    let msg = '';
    try {
      resolveUserStore({ spec: 'postgres://user:hunter2@h', env: {}, cwd: '/' });
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg, 'a password in a bad URL is masked').not.toContain('hunter2');
  });

  it('fails clearly on a corrupted users file and a corrupted Redis record', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kairos-us-'));
    dirs.push(dir);
    await writeFile(join(dir, 'users.json'), '{"version":1,"users":{"a":{"id":"a"}}}');
    await expect(new FileUserStore(dir).list()).rejects.toMatchObject({ code: 'DATA_INVALID' });
    const prefix = `kairos-test:${randomUUID()}:`;
    prefixes.push(prefix);
    await redis.hset(`${prefix}users`, 'a', 'not json');
    const store = openUserStore({ kind: 'redis', url: 'redis://127.0.0.1:6379', prefix });
    await expect(store.get('a')).rejects.toMatchObject({ code: 'DATA_INVALID' });
    await store.close?.();
  });
});

import { randomBytes } from 'node:crypto';
import { describeTradeStoreConformance, makeFill, makeStoredOrder } from '@kairos/core/testing';
import { describe, expect, it } from 'vitest';
import { SAVE_FILL } from '../src/redis/lua-script';
import { RedisTradeStore, redactUrl } from '../src/redis/redis-trade-store';

const URL = process.env.KAIROS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function deployment(): string {
  return `test-${randomBytes(5).toString('hex')}`;
}

describeTradeStoreConformance('redis', async () => {
  const dep = deployment();
  let store = await RedisTradeStore.connect({ url: URL, deployment: dep });
  return {
    get store() {
      return store;
    },
    async reopen() {
      await store.close();
      store = await RedisTradeStore.connect({ url: URL, deployment: dep });
      return store;
    },
    async dispose() {
      await store.clear();
      await store.close();
    },
  };
}, { durable: true });

describe('RedisTradeStore', () => {
  it('fails at start with a clear error naming the URL when Redis is unreachable', async () => {
    const t0 = Date.now();
    await expect(RedisTradeStore.connect({ url: 'redis://:secret@127.0.0.1:1', deployment: 'x', connectTimeoutMs: 1_000 })).rejects.toThrow(
      /cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1/,
    );
    expect(Date.now() - t0, 'fails fast, no endless reconnect').toBeLessThan(3_000);
    expect(redactUrl('redis://user:pw@h:6379/2')).toBe('redis://user:***@h:6379/2');
  });

  it('keeps deployments apart and namespaces keys by deployment and user', async () => {
    const a = await RedisTradeStore.connect({ url: URL, deployment: deployment() });
    const b = await RedisTradeStore.connect({ url: URL, deployment: deployment() });
    try {
      await a.saveOrder(makeStoredOrder({ userId: 'alice:1' }));
      await a.setValue('k', 'a');
      expect(await b.getOrder('c-1')).toBeUndefined();
      expect(await b.getValue('k')).toBeUndefined();
      const keys = await a.client.keys(`${a.prefix}*`);
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.every((k) => k.startsWith(a.prefix))).toBe(true);
      expect(keys.some((k) => k.startsWith(`${a.prefix}u:alice%3A1:o:`)), keys.join(' ')).toBe(true);
    } finally {
      await a.clear();
      await b.clear();
      await a.close();
      await b.close();
    }
  });

  it('answers a re-sent saveFill as stored to its own caller only', async () => {
    const s = await RedisTradeStore.connect({ url: URL, deployment: deployment() });
    try {
      const f = makeFill();
      const k = `${s.prefix}u:u1:`;
      // What ioredis does after a reconnect: the same script call, same token, twice.
      const run = (token: string): Promise<unknown> =>
        SAVE_FILL.run(s.client, [`${k}fills`, `${k}fill-token`, `${k}of:${f.clientOrderId}`, `${s.prefix}users`], [f.id, JSON.stringify(f), token, 'u1']);
      expect(await run('t1')).toBe(1);
      expect(await run('t1'), 're-sent copy of the same call').toBe(1);
      expect(await run('t2'), 'another caller').toBe(0);
      expect(await s.saveFill('u1', f), 'the store itself sees the duplicate').toBe(false);
      expect(await s.listFills('u1')).toEqual([f]);
    } finally {
      await s.clear();
      await s.close();
    }
  });

  it('refuses a client order id that another user owns', async () => {
    const s = await RedisTradeStore.connect({ url: URL, deployment: deployment() });
    try {
      await s.saveOrder(makeStoredOrder({ userId: 'u1' }));
      await expect(s.saveOrder(makeStoredOrder({ userId: 'u2' }))).rejects.toThrow(/belongs to another user/);
    } finally {
      await s.clear();
      await s.close();
    }
  });
});

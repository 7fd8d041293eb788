import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JournalingTradeStore, type StoreTime, TradingGate } from '@kairos/core';
import { makeFill, makeStoredOrder, makeTrade } from '@kairos/core/testing';
import { RedisTradeStore } from '@kairos/store';
import { describe, expect, it } from 'vitest';
import { sleep } from './kairos-bot';
import { OwnRedis } from './own-redis';

const TEN_MINUTES = 10 * 60_000;
const SPEEDUP = 300;

/** A clock that runs `factor` times faster than the wall: every wait the store makes is shortened alike. */
function fastClock(factor: number): StoreTime {
  const t0 = Date.now();
  return {
    now: () => t0 + (Date.now() - t0) * factor,
    sleep: (ms) => new Promise<void>((r) => setTimeout(r, ms / factor)),
    setTimer: (fn, ms) => {
      const t = setTimeout(fn, ms / factor);
      return () => clearTimeout(t);
    },
  };
}

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('JournalingTradeStore over a real Redis', () => {
  it(`survives a 10-minute outage in VIRTUAL time (Redis paused ~2 s of real time while the store's clock runs ${SPEEDUP}x faster): reads never fail, writes are journaled and replayed`, async () => {
    const redis = await OwnRedis.start();
    const inner = await RedisTradeStore.connect({ url: redis.url, deployment: 'virtual' });
    const time = fastClock(SPEEDUP);
    const gate = new TradingGate({});
    const store = await JournalingTradeStore.open(inner, {
      dir: await mkdtemp(join(tmpdir(), 'kairos-virtual-outage-')),
      time,
      callTimeoutMs: 90_000, // 300 ms of real time
      epochCheckMs: 0,
      onHealthChange: (ok) => (ok ? gate.unblock('store') : gate.block('store')),
      onAbandon: () => inner.client.disconnect(),
    });
    inner.client.on('ready', () => store.reconnected());
    try {
      await store.listOrders({ userId: 'u1' });
      await store.listFills('u1');
      const entry = makeStoredOrder({ clientOrderId: 'entry-1', id: 'x-1', status: 'filled', filled: 1, type: 'market' });
      await store.saveOrder(entry);
      expect(await store.saveFill('u1', makeFill({ id: 'x-1@1', clientOrderId: 'entry-1', amount: 1 }))).toBe(true);

      const began = time.now();
      redis.pause();
      // The exit: decided, stored as an intent, acknowledged, filled, closed; all while Redis is away.
      expect(await store.getOrder('exit-1')).toBeUndefined();
      expect(gate.allows('entry')).toBe(false);
      const exit = makeStoredOrder({ clientOrderId: 'exit-1', id: '', status: 'pending_submit', side: 'sell', purpose: 'exit', type: 'market' });
      await store.saveOrder(exit);
      await store.saveOrder({ ...exit, id: 'x-2', status: 'filled', filled: 1, updatedAt: 2_000 });
      expect(await store.saveFill('u1', makeFill({ id: 'x-2@1', orderId: 'x-2', clientOrderId: 'exit-1', side: 'sell', amount: 1 }))).toBe(true);
      await store.saveTrade(makeTrade({ id: 't-1' }));
      await store.setValue('risk:u1:locks', '[]');
      expect(store.journaled).toBe(5);

      let failed: unknown;
      let answered = false;
      const waiting = store.getValue('only-redis-knows').then(
        () => (answered = true),
        (e: unknown) => (failed = e),
      );
      await until(() => time.now() - began >= TEN_MINUTES, 10_000, 'ten virtual minutes');
      expect(failed, 'no read failed because of time').toBeUndefined();
      expect(answered, 'a read only Redis can answer is still waiting').toBe(false);
      expect(store.away.away).toBe(true);

      redis.resume();
      await until(() => store.journaled === 0 && gate.entriesAllowed, 10_000, 'the replay');
      await waiting;
      expect(failed).toBeUndefined();
      expect(store.away.outages).toBe(1);
      expect(store.away.totalMs).toBeGreaterThanOrEqual(TEN_MINUTES);

      const check = await RedisTradeStore.connect({ url: redis.url, deployment: 'virtual' });
      try {
        expect((await check.getOrder('exit-1'))?.status).toBe('filled');
        expect((await check.listFills('u1')).map((f) => f.id)).toEqual(['x-1@1', 'x-2@1']);
        expect((await check.listTrades({ userId: 'u1' })).map((t) => t.id)).toEqual(['t-1']);
        expect(await check.getValue('risk:u1:locks')).toBe('[]');
      } finally {
        await check.close();
      }
    } finally {
      await store.close();
      await redis.kill();
    }
  }, 30_000);
});

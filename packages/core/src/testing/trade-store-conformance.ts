import { describe, expect, it } from 'vitest';
import type { OrderStatus } from '../domain/order';
import { isTerminalStatus } from '../domain/order';
import type { Trade } from '../domain/position';
import type { StoredOrder, TradeStore } from '../ports/trade-store';
import { mergeOrder } from '../store/merge-order';
import { makeFill, makeStoredOrder, makeTrade } from './trade-store-fixtures';

/** One store under test, plus how to reopen it and clean up. */
export interface TradeStoreHandle {
  readonly store: TradeStore;
  /**
   * Durable stores only: closes the current store and opens the same data again.
   * Left out for stores that keep nothing (memory).
   */
  reopen?(): Promise<TradeStore>;
  /** Closes whatever is open and removes what the test wrote. */
  dispose(): Promise<void>;
}

/** Makes a fresh, empty store for each test (its own directory, key prefix, …). */
export type TradeStoreFactory = () => Promise<TradeStoreHandle>;

export interface TradeStoreConformanceOptions {
  /** The store keeps data across a close and reopen: the handle must offer `reopen`. */
  readonly durable?: boolean;
}

/** A small seeded generator so the out-of-order sequence is the same for every store. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const STATUSES: readonly OrderStatus[] = ['pending_submit', 'submitted', 'open', 'partially_filled', 'filled', 'canceled', 'rejected', 'expired'];

/**
 * The behaviour every `TradeStore` must show: idempotent writes, an order lifecycle that
 * never moves backwards (the `mergeOrder` rule), fills unique by id, queries, the
 * key/value cache with TTL and, for durable stores, everything surviving a reopen.
 * Call it inside a test file: `describeTradeStoreConformance('file', factory)`.
 */
export function describeTradeStoreConformance(name: string, factory: TradeStoreFactory, options: TradeStoreConformanceOptions = {}): void {
  const withStore = (title: string, body: (h: TradeStoreHandle) => Promise<void>, timeoutMs?: number): void => {
    it(
      title,
      async () => {
        const h = await factory();
        try {
          await body(h);
        } finally {
          await h.dispose();
        }
      },
      timeoutMs,
    );
  };

  describe(`TradeStore conformance: ${name}`, () => {
    withStore('round-trips an order with every field intact', async ({ store }) => {
      const o = makeStoredOrder({
        price: 0.1 + 0.2,
        amount: 1e-8 * 3,
        filled: 1e-8,
        average: 123456.789012345,
        status: 'partially_filled',
        fees: [{ currency: 'BTC', cost: 1e-11 }, { currency: 'USDT', cost: 0.000123 }],
        rejectReason: undefined,
      });
      await store.saveOrder(o);
      expect(await store.getOrder('c-1'), 'numbers survive exactly, fees in several currencies').toEqual(o);
      expect(await store.getOrder('nope')).toBeUndefined();
    });

    withStore('moves through the lifecycle and never backwards', async ({ store }) => {
      const intent = makeStoredOrder({ id: '', status: 'pending_submit', type: 'market', price: undefined });
      await store.saveOrder(intent);
      expect((await store.getOrder('c-1'))?.status).toBe('pending_submit');
      await store.saveOrder({ ...intent, id: 'x-9', status: 'open', amount: 0.99, updatedAt: 1_100 });
      const acked = await store.getOrder('c-1');
      expect(acked?.id, 'the ack carries the exchange id').toBe('x-9');
      expect(acked?.amount, 'the venue view of the amount replaces the intent').toBe(0.99);
      await store.saveOrder({ ...intent, id: 'x-9', status: 'partially_filled', amount: 0.99, filled: 0.4, average: 101, updatedAt: 1_200 });
      await store.saveOrder({ ...intent, id: 'x-9', status: 'submitted', amount: 0.99, updatedAt: 1_050 });
      await store.saveOrder({ ...intent, status: 'pending_submit' });
      const mid = await store.getOrder('c-1');
      expect(mid?.status, 'stale states are ignored').toBe('partially_filled');
      expect(mid?.filled).toBe(0.4);
      expect(mid?.updatedAt).toBe(1_200);
      await store.saveOrder({ ...intent, id: 'x-9', status: 'filled', amount: 0.99, filled: 0.99, average: 100.5, updatedAt: 1_300 });
      await store.saveOrder({ ...intent, id: 'x-9', status: 'canceled', amount: 0.99, filled: 0.4, updatedAt: 1_400 });
      const done = await store.getOrder('c-1');
      expect(done?.status, 'a terminal status never changes').toBe('filled');
      expect(done?.filled).toBe(0.99);
      expect(done?.average).toBe(100.5);
      expect(done?.userId).toBe('u1');
      expect(done?.createdAt).toBe(1_000);
    });

    withStore('keeps the larger fill when a newer status carries older execution data', async ({ store }) => {
      await store.saveOrder(makeStoredOrder({ status: 'partially_filled', filled: 0.5, average: 100, fees: [{ currency: 'USDT', cost: 0.05 }] }));
      await store.saveOrder(makeStoredOrder({ status: 'canceled', filled: 0.3, average: 99, rejectReason: 'user cancel', updatedAt: 3_000 }));
      const o = await store.getOrder('c-1');
      expect(o?.status).toBe('canceled');
      expect(o?.filled, 'filled never decreases').toBe(0.5);
      expect(o?.average).toBe(100);
      expect(o?.fees).toEqual([{ currency: 'USDT', cost: 0.05 }]);
      expect(o?.rejectReason).toBe('user cancel');
    });

    withStore('clamps filled into [0, amount]', async ({ store }) => {
      await store.saveOrder(makeStoredOrder({ status: 'filled', amount: 1, filled: 1.0000001 }));
      expect((await store.getOrder('c-1'))?.filled).toBe(1);
    });

    withStore('treats a duplicate write as a no-op', async ({ store }) => {
      const o = makeStoredOrder();
      await store.saveOrder(o);
      await store.saveOrder(o);
      await Promise.all([store.saveOrder(o), store.saveOrder(o)]);
      expect(await store.listOrders()).toEqual([o]);
    });

    withStore('agrees with the reference merge on 300 out-of-order updates', async ({ store }) => {
      const rnd = lcg(7);
      let model: StoredOrder | undefined;
      for (let i = 0; i < 300; i++) {
        const cid = `c-${i % 5}`;
        const status = STATUSES[Math.floor(rnd() * STATUSES.length)] as OrderStatus;
        const amount = 2;
        const filled = isTerminalStatus(status) || status === 'partially_filled' ? Math.round(rnd() * 20) / 10 : 0;
        const o = makeStoredOrder({
          clientOrderId: cid,
          id: rnd() < 0.2 ? '' : `x-${i % 5}`,
          status,
          amount,
          filled,
          average: 100 + filled,
          updatedAt: 1_000 + Math.floor(rnd() * 500),
        });
        await store.saveOrder(o);
        if (cid === 'c-3') model = mergeOrder(model, o) ?? model;
      }
      expect(await store.getOrder('c-3')).toEqual(model);
      expect((await store.listOrders()).length).toBe(5);
    });

    withStore('filters and sorts orders', async ({ store }) => {
      const a = makeStoredOrder({ clientOrderId: 'a', createdAt: 3, userId: 'u1', symbol: 'BTC/USDT', status: 'open' });
      const b = makeStoredOrder({ clientOrderId: 'b', createdAt: 1, userId: 'u1', symbol: 'ETH/USDT', status: 'filled', filled: 1 });
      const c = makeStoredOrder({ clientOrderId: 'c', createdAt: 2, userId: 'u2', symbol: 'BTC/USDT', status: 'pending_submit', id: '' });
      const d = makeStoredOrder({ clientOrderId: 'd', createdAt: 2, userId: 'u1', symbol: 'BTC/USDT', status: 'canceled' });
      for (const o of [a, b, c, d]) await store.saveOrder(o);
      const ids = (os: StoredOrder[]): string[] => os.map((o) => o.clientOrderId);
      expect(ids(await store.listOrders()), 'oldest first, ties by client id').toEqual(['b', 'c', 'd', 'a']);
      expect(ids(await store.listOrders({ userId: 'u1' }))).toEqual(['b', 'd', 'a']);
      expect(ids(await store.listOrders({ symbol: 'BTC/USDT' }))).toEqual(['c', 'd', 'a']);
      expect(ids(await store.listOrders({ userId: 'u1', symbol: 'BTC/USDT' }))).toEqual(['d', 'a']);
      expect(ids(await store.listOrders({ status: ['pending_submit', 'open'] }))).toEqual(['c', 'a']);
      expect(ids(await store.listOrders({ userId: 'u1', status: ['open', 'partially_filled'] }))).toEqual(['a']);
      expect(ids(await store.listOrders({ userId: 'u1', status: ['canceled', 'filled'] }))).toEqual(['b', 'd']);
      expect(await store.listOrders({ userId: 'nobody' })).toEqual([]);
      expect(await store.listOrders({ status: [] })).toEqual([]);
      // An order leaving the open states must leave the open index too.
      await store.saveOrder({ ...a, status: 'filled', filled: 1 });
      expect(ids(await store.listOrders({ userId: 'u1', status: ['open'] }))).toEqual([]);
    });

    withStore('stores a fill once, per user', async ({ store }) => {
      const f = makeFill();
      expect(await store.saveFill('u1', f)).toBe(true);
      expect(await store.saveFill('u1', f), 'second save of the same fill id').toBe(false);
      expect(await store.saveFill('u1', { ...f, amount: 9 }), 'same id, other content: still a duplicate').toBe(false);
      expect(await store.saveFill('u2', f), 'fills are per user').toBe(true);
      const g = makeFill({ id: 'x-2@1', orderId: 'x-2', clientOrderId: 'c-2', time: 1_500, fee: { currency: 'BTC', cost: 0.001 } });
      expect(await store.saveFill('u1', g)).toBe(true);
      expect(await store.listFills('u1'), 'sorted by time').toEqual([g, f]);
      expect(await store.listFills('u1', 'c-1')).toEqual([f]);
      expect(await store.listFills('u1', 'c-x')).toEqual([]);
      expect(await store.listFills('nobody')).toEqual([]);
    });

    withStore('answers concurrent duplicate fills exactly once', async ({ store }) => {
      const f = makeFill();
      const results = await Promise.all(Array.from({ length: 8 }, () => store.saveFill('u1', f)));
      expect(results.filter(Boolean).length).toBe(1);
    });

    withStore('stores trades idempotently and queries them', async ({ store }) => {
      const t1 = makeTrade({ id: 't1', exitTime: 5_000 });
      const t2 = makeTrade({ id: 't2', exitTime: 3_000, symbol: 'ETH/USDT', strategyId: 's2' });
      const t3 = makeTrade({ id: 't3', exitTime: 4_000, userId: 'u2', entryReason: undefined, exitReason: undefined });
      for (const t of [t1, t2, t3, t1]) await store.saveTrade(t);
      const ids = (ts: Trade[]): string[] => ts.map((t) => t.id);
      expect(ids(await store.listTrades())).toEqual(['t2', 't3', 't1']);
      expect(await store.listTrades({ userId: 'u1' })).toEqual([t2, t1]);
      expect(ids(await store.listTrades({ symbol: 'BTC/USDT' }))).toEqual(['t3', 't1']);
      expect(ids(await store.listTrades({ strategyId: 's2' }))).toEqual(['t2']);
      expect(ids(await store.listTrades({ from: 3_000, to: 4_000 })), 'range is inclusive').toEqual(['t2', 't3']);
      expect(ids(await store.listTrades({ userId: 'u1', from: 4_001 }))).toEqual(['t1']);
      expect((await store.listTrades({ userId: 'u2' }))[0]).toEqual(t3);
    });

    withStore('keeps values, overwrites, deletes and expires them', async ({ store }) => {
      expect(await store.getValue('k')).toBeUndefined();
      await store.setValue('k', 'v1');
      await store.setValue('k', 'v2');
      expect(await store.getValue('k')).toBe('v2');
      await store.setValue('e', 'soon', 60);
      await store.setValue('kept', 'x', 60);
      await store.setValue('kept', 'y');
      expect(await store.getValue('e'), 'readable before its TTL').toBe('soon');
      await new Promise((r) => setTimeout(r, 150));
      expect(await store.getValue('e'), 'gone after its TTL').toBeUndefined();
      expect(await store.getValue('kept'), 'a write without TTL clears the TTL').toBe('y');
      await store.deleteValue('k');
      await store.deleteValue('missing');
      expect(await store.getValue('k')).toBeUndefined();
      await store.setValue('unicode', 'é\n\t"{}');
      expect(await store.getValue('unicode')).toBe('é\n\t"{}');
    });

    withStore('takes many concurrent writes without losing one', async ({ store }) => {
      const n = 300;
      await Promise.all(
        Array.from({ length: n }, (_, i) =>
          Promise.all([
            store.saveOrder(makeStoredOrder({ clientOrderId: `c${i}`, id: `x${i}`, createdAt: i, userId: `u${i % 3}` })),
            store.saveFill(`u${i % 3}`, makeFill({ id: `x${i}@1`, orderId: `x${i}`, clientOrderId: `c${i}`, time: i })),
          ]),
        ),
      );
      expect((await store.listOrders()).length).toBe(n);
      expect((await store.listOrders({ userId: 'u1' })).length).toBe(n / 3);
      const fills = (await store.listFills('u0')).length + (await store.listFills('u1')).length + (await store.listFills('u2')).length;
      expect(fills).toBe(n);
    });

    if (!options.durable) return;
    withStore('keeps everything across a reopen', async (h) => {
      if (!h.reopen) throw new Error(`${name} is declared durable but its handle has no reopen()`);
      const o = makeStoredOrder({ status: 'partially_filled', filled: 0.25, fees: [{ currency: 'BTC', cost: 0.00025 }] });
      await h.store.saveOrder(makeStoredOrder({ id: '', status: 'pending_submit' }));
      await h.store.saveOrder(o);
      await h.store.saveOrder(makeStoredOrder({ clientOrderId: 'c-2', status: 'filled', filled: 1 }));
      await h.store.saveFill('u1', makeFill());
      await h.store.saveTrade(makeTrade());
      await h.store.setValue('k', 'v');
      await h.store.setValue('gone', 'v');
      await h.store.deleteValue('gone');
      await h.store.setValue('short', 'v', 40);
      const store = await h.reopen();
      expect(await store.getOrder('c-1')).toEqual(o);
      expect((await store.listOrders({ status: ['partially_filled'] })).length, 'indexes survive too').toBe(1);
      expect(await store.listFills('u1')).toEqual([makeFill()]);
      expect(await store.saveFill('u1', makeFill()), 'fill ids survive').toBe(false);
      expect(await store.listTrades()).toEqual([makeTrade()]);
      expect(await store.getValue('k')).toBe('v');
      expect(await store.getValue('gone')).toBeUndefined();
      await new Promise((r) => setTimeout(r, 80));
      expect(await store.getValue('short'), 'TTLs survive a reopen').toBeUndefined();
      await store.saveOrder({ ...o, status: 'open', filled: 0 });
      expect((await store.getOrder('c-1'))?.status, 'the lifecycle rule holds after a reopen').toBe('partially_filled');
    });
  });
}

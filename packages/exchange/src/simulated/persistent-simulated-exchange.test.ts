import { type Candle, type Market, MemoryTradeStore, type OrderIntent } from '@kairos/core';
import { describe, expect, it } from 'vitest';
import { PersistentSimulatedExchange } from './persistent-simulated-exchange';
import { SimulatedExchange } from './simulated-exchange';

const H = 3_600_000;
const market: Market = { symbol: 'X/USDT', base: 'X', quote: 'USDT', active: true, amountStep: 0.1, priceStep: 0.0001, minAmount: 0.1, minNotional: 1, makerFee: 0.001, takerFee: 0.001 };
const candle = (i: number, price: number, volume: number): Candle => ({ time: i * H, open: price, high: price * 1.01, low: price * 0.99, close: price, volume });
const options = { markets: [market], balances: { USDT: 100_000 }, slippageBps: 5, volumeParticipation: 0.1 };
const order = (cid: string, side: 'buy' | 'sell', amount: number, over: Partial<OrderIntent> = {}) =>
  ({ type: 'market', symbol: 'X/USDT', side, amount, purpose: side === 'buy' ? 'entry' : 'exit', clientOrderId: cid, ...over }) as OrderIntent;

/** A scripted session: orders on some candles, split fills on thin ones. */
async function play(ex: SimulatedExchange, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) {
    ex.processCandle('X/USDT', candle(i, 10 + (i % 7), i % 3 === 0 ? 2_000 : 50_000), H);
    if (i === 1) await ex.createOrder(order('b1', 'buy', 4_567.8));
    if (i === 5) await ex.createOrder(order('s1', 'sell', 4_567.8));
    if (i === 9) await ex.createOrder(order('l1', 'buy', 100, { type: 'limit', price: 9.5 } as Partial<OrderIntent>));
  }
}

describe('PersistentSimulatedExchange', () => {
  it('goes on after a restart exactly as an uninterrupted venue: same orders, fills and balances', async () => {
    const straight = new SimulatedExchange(options);
    await play(straight, 0, 16);

    const store = new MemoryTradeStore();
    const persistence = { store, key: 'sim-venue:t' };
    const first = await PersistentSimulatedExchange.open(options, persistence);
    expect(first.resumed).toBeUndefined();
    await play(first.exchange, 0, 7);
    await first.exchange.flush();
    // A new process: the venue comes back from the store, mid-way through the sell's split fill.
    const second = await PersistentSimulatedExchange.open(options, persistence);
    expect(second.resumed?.matchedUntil['X/USDT']).toBe(7 * H);
    expect((await second.exchange.fetchOrderByClientId('X/USDT', 's1'))?.status).toBe('partially_filled');
    await play(second.exchange, 7, 16);

    expect(await second.exchange.fetchBalance()).toEqual(await straight.fetchBalance());
    for (const cid of ['b1', 's1', 'l1']) {
      expect(await second.exchange.fetchOrderByClientId('X/USDT', cid)).toEqual(await straight.fetchOrderByClientId('X/USDT', cid));
    }
    expect(await second.exchange.fetchOpenOrders()).toEqual(await straight.fetchOpenOrders());
  });

  it('saves an order before createOrder returns, so an acknowledgement is never ahead of the saved venue', async () => {
    const store = new MemoryTradeStore();
    const { exchange } = await PersistentSimulatedExchange.open(options, { store, key: 'k' });
    exchange.processCandle('X/USDT', candle(0, 10, 1e6), H);
    const o = await exchange.createOrder(order('b1', 'buy', 10));
    const saved = JSON.parse((await store.getValue('k')) as string) as { orders: Array<{ order: { id: string } }> };
    expect(saved.orders.map((s) => s.order.id)).toEqual([o.id]);
  });

  it('refuses a malformed saved venue with a typed error naming the field', async () => {
    const store = new MemoryTradeStore();
    await store.setValue('k', JSON.stringify({ version: 1, now: 0, seq: 1, balances: { USDT: { free: -5, used: 0 } }, orders: [], lastCandles: {}, matchedUntil: {} }));
    await expect(PersistentSimulatedExchange.open(options, { store, key: 'k' })).rejects.toThrow(/saved balance of USDT is negative/);
    await store.setValue('k', '{"version":1,"now":"x"}');
    await expect(PersistentSimulatedExchange.open(options, { store, key: 'k' })).rejects.toThrow(/k: the saved simulated venue is malformed at now/);
  });
});

import { type Candle, KairosError, type Market, type OrderIntent } from '@kairos/core';
import { describe, expect, it } from 'vitest';
import { SimulatedExchange } from './simulated-exchange';

const H = 3_600_000;
const market: Market = {
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  active: true,
  amountStep: 0.001,
  priceStep: 0.01,
  minAmount: 0.001,
  minNotional: 5,
  makerFee: 0.001,
  takerFee: 0.002,
};
const candle = (i: number, price: number, volume = 1000): Candle => ({ time: i * H, open: price, high: price * 1.01, low: price * 0.99, close: price, volume });
const buy = (over: Partial<OrderIntent> = {}): OrderIntent =>
  ({ type: 'market', symbol: 'BTC/USDT', side: 'buy', amount: 0.1, purpose: 'entry', clientOrderId: 'c1', ...over }) as OrderIntent;

function exchange(usdt = 10_000, opts: Partial<ConstructorParameters<typeof SimulatedExchange>[0]> = {}) {
  const ex = new SimulatedExchange({ markets: [market], balances: { USDT: usdt }, slippageBps: 10, volumeParticipation: 0.1, ...opts });
  ex.processCandle('BTC/USDT', candle(0, 40_000), H);
  return ex;
}

async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(KairosError);
    return (err as KairosError).code;
  }
  throw new Error('expected a rejection');
}

describe('SimulatedExchange', () => {
  it('rejects bad orders with typed errors', async () => {
    const ex = exchange(100);
    expect(await rejection(ex.createOrder(buy({ symbol: 'NOPE/USDT' })))).toBe('SYMBOL_UNKNOWN');
    expect(await rejection(ex.createOrder(buy({ amount: 0.0001 })))).toBe('ORDER_PRECISION');
    expect(await rejection(ex.createOrder(buy({ amount: -1 })))).toBe('ORDER_INVALID');
    expect(await rejection(ex.createOrder({ ...buy(), type: 'limit', amount: 0.001, price: 1000 }))).toBe('ORDER_BELOW_MINIMUM');
    expect(await rejection(ex.createOrder(buy({ amount: 1 })))).toBe('INSUFFICIENT_FUNDS');
    expect(await rejection(ex.createOrder({ ...buy(), type: 'limit', amount: 0.001, price: 40_000.005 }))).toBe('ORDER_PRECISION');
    const bal = await ex.fetchBalance();
    expect(bal.USDT?.free, 'rejections reserve nothing').toBe(100);
  });

  it('rounds instead of rejecting when configured to', async () => {
    const ex = exchange(10_000, { precision: 'round' });
    const o = await ex.createOrder(buy({ amount: 0.12345 }));
    expect(o.amount).toBe(0.123);
  });

  it('fills a market order at the next open with slippage and taker fee', async () => {
    const ex = exchange();
    const o = await ex.createOrder(buy());
    expect(o.status).toBe('open');
    ex.processCandle('BTC/USDT', candle(1, 41_000), H);
    const f = await ex.fetchOrder('BTC/USDT', o.id);
    expect(f.status).toBe('filled');
    expect(f.average).toBeCloseTo(41_000 * 1.001, 8);
    expect(f.fees[0]?.cost).toBeCloseTo(0.1 * 41_000 * 1.001 * 0.002, 8);
    const bal = await ex.fetchBalance();
    expect(bal.BTC?.free).toBeCloseTo(0.1, 12);
    expect(bal.USDT?.total).toBeCloseTo(10_000 - 0.1 * 41_041 * 1.002, 6);
    expect(bal.USDT?.used, 'nothing stays reserved after the fill').toBeCloseTo(0, 9);
  });

  it('never fills the same client order id twice', async () => {
    const ex = exchange();
    const a = await ex.createOrder(buy());
    const b = await ex.createOrder(buy());
    expect(b.id).toBe(a.id);
    ex.processCandle('BTC/USDT', candle(1, 40_000), H);
    const again = await ex.createOrder(buy());
    expect(again.id).toBe(a.id);
    ex.processCandle('BTC/USDT', candle(2, 40_000), H);
    expect((await ex.fetchBalance()).BTC?.free).toBeCloseTo(0.1, 12);
    expect(await ex.fetchOpenOrders()).toEqual([]);
  });

  it('bounds fills by candle volume, leaving partial fills that continue', async () => {
    const ex = exchange(100_000);
    const o = await ex.createOrder(buy({ amount: 1.5 }));
    ex.processCandle('BTC/USDT', candle(1, 40_000, 10), H);
    const p = await ex.fetchOrder('BTC/USDT', o.id);
    expect(p.status).toBe('partially_filled');
    expect(p.filled, '10% of a 10 BTC candle').toBeCloseTo(1, 12);
    ex.processCandle('BTC/USDT', candle(2, 40_000, 10), H);
    const q = await ex.fetchOrder('BTC/USDT', o.id);
    expect(q.status).toBe('filled');
    expect(q.filled).toBe(1.5);
  });

  it('fills limit orders only when the price trades through, as maker', async () => {
    const ex = exchange();
    const o = await ex.createOrder({ ...buy(), type: 'limit', price: 39_000 });
    ex.processCandle('BTC/USDT', candle(1, 40_000), H); // low 39,600
    expect((await ex.fetchOrder('BTC/USDT', o.id)).status).toBe('open');
    ex.processCandle('BTC/USDT', candle(2, 39_300), H); // low 38,907
    const f = await ex.fetchOrder('BTC/USDT', o.id);
    expect(f.status).toBe('filled');
    expect(f.average).toBe(39_000);
    expect(f.fees[0]?.cost).toBeCloseTo(0.1 * 39_000 * 0.001, 9);
  });

  it('releases reservations on cancel and keeps balances non-negative', async () => {
    const ex = exchange(5_000);
    const o = await ex.createOrder({ ...buy(), type: 'limit', amount: 0.1, price: 30_000 });
    expect((await ex.fetchBalance()).USDT?.free).toBeLessThan(5_000);
    const c = await ex.cancelOrder('BTC/USDT', o.id);
    expect(c.status).toBe('canceled');
    expect((await ex.fetchBalance()).USDT?.free).toBeCloseTo(5_000, 9);
    // A market buy that gaps beyond the whole balance fills what it can and expires.
    const m = await ex.createOrder(buy({ clientOrderId: 'gap', amount: 0.12 }));
    ex.processCandle('BTC/USDT', candle(1, 80_000), H);
    const g = await ex.fetchOrder('BTC/USDT', m.id);
    expect(g.status).toBe('expired');
    expect(g.filled).toBeGreaterThan(0);
    const bal = await ex.fetchBalance();
    for (const b of Object.values(bal)) {
      expect(b.free).toBeGreaterThanOrEqual(0);
      expect(b.used).toBeGreaterThanOrEqual(0);
    }
  });

  it('sells only what is held', async () => {
    const ex = exchange();
    expect(await rejection(ex.createOrder(buy({ side: 'sell', clientOrderId: 's' })))).toBe('INSUFFICIENT_FUNDS');
  });

  it('holds a base currency exactly, in the common unit of its markets\' amount steps', async () => {
    const other: Market = { ...market, symbol: 'BTC/EUR', quote: 'EUR', amountStep: 0.0001, minAmount: 0.0001, minNotional: 1 };
    const ex = new SimulatedExchange({ markets: [market, other], balances: { USDT: 0, BTC: 0.0003 }, slippageBps: 0 });
    ex.processCandle('BTC/USDT', candle(0, 40_000), H);
    ex.processCandle('BTC/EUR', { ...candle(0, 40_000), time: 0 }, H);
    // 0.1 + 0.2 in doubles is 0.30000000000000004; the balance is 0.3 exactly.
    await ex.createOrder({ type: 'market', symbol: 'BTC/EUR', side: 'sell', amount: 0.0003, purpose: 'exit', clientOrderId: 'x' });
    const bal = await ex.fetchBalance();
    expect(bal.BTC).toEqual({ currency: 'BTC', free: 0, used: 0.0003, total: 0.0003 });
    expect(() => new SimulatedExchange({ markets: [market], balances: { BTC: 0.00012345 } })).toThrow(/whole number of its amount step 0.001/);
  });

  it('rejects an order of more steps than it can count exactly, with a typed error', async () => {
    const tiny: Market = { ...market, amountStep: 1e-8, minNotional: 0, minAmount: 0 };
    const ex = new SimulatedExchange({ markets: [tiny], balances: { USDT: 1e12 } });
    ex.processCandle('BTC/USDT', candle(0, 1e-6), H);
    expect(await rejection(ex.createOrder(buy({ amount: 1e7 })))).toBe('ORDER_INVALID');
  });
});

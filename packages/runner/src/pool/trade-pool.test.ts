import { EventBus, type Fill, MemoryTradeStore, Portfolio, type Trade } from '@kairos/core';
import { describe, expect, it } from 'vitest';
import { TradePool } from './trade-pool';

const H = 3_600_000;
let n = 0;
function trade(userId: string, symbol: string, exitTime: number, pnl: number, strategyId = 'ma-cross'): Trade {
  n += 1;
  return { id: `t${n}`, userId, symbol, side: 'long', strategyId, entryTime: exitTime - H, entryPrice: 100, exitTime, exitPrice: 100 + pnl, amount: 1, pnl, pnlPct: pnl, fees: 0.2 };
}

function fill(id: string, side: 'buy' | 'sell', price: number, amount: number, time: number, symbol = 'BTC/USDT'): Fill {
  return { id, orderId: id, clientOrderId: id, symbol, side, price, amount, fee: { cost: price * amount * 0.001, currency: 'USDT' }, liquidity: 'taker', time };
}

describe('TradePool', () => {
  it('answers queries by user, symbol, status, strategy and time range, before and after a transfer', async () => {
    const clock = { now: () => 100 * H };
    const store = new MemoryTradeStore();
    const pool = new TradePool({ store, clock });
    const a1 = trade('alice', 'BTC/USDT', 10 * H, 5);
    const a2 = trade('alice', 'ETH/USDT', 20 * H, -3, 'rsi');
    const b1 = trade('bob', 'BTC/USDT', 30 * H, 7);
    for (const t of [a1, a2, b1]) pool.recordTrade(t);
    pool.trackPosition('bob', 'rsi', { symbol: 'ETH/USDT', amount: 2, avgEntryPrice: 50, costBasis: 100.1, realizedPnl: 0, fees: 0.1, openedAt: 40 * H, lastPrice: 50, unrealizedPnl: -0.1 });

    const check = () => {
      const ids = (q: Parameters<TradePool['query']>[0]) => pool.query(q).map((e) => e.id);
      expect(ids({ userId: 'alice' })).toEqual([a1.id, a2.id]);
      expect(ids({ symbol: 'BTC/USDT' })).toEqual([a1.id, b1.id]);
      expect(ids({ status: 'open' })).toEqual(['open:bob:ETH/USDT']);
      expect(ids({ status: 'closed', userId: 'bob' })).toEqual([b1.id]);
      expect(ids({ strategyId: 'rsi' })).toEqual([a2.id, 'open:bob:ETH/USDT']);
      expect(ids({ from: 15 * H, to: 30 * H, status: 'closed' }), 'closed trades by exit time, inclusive').toEqual([a2.id, b1.id]);
      expect(ids({ to: 35 * H, status: 'open' }), 'opened after the range').toEqual([]);
      expect(ids({ userId: 'nobody' })).toEqual([]);
      expect(ids({ userId: 'alice', symbol: 'ETH/USDT' })).toEqual([a2.id]);
    };
    check();
    expect(pool.pendingTrades).toBe(3);
    expect(await pool.transfer()).toEqual({ users: 2, trades: 3, failed: 0 });
    expect(pool.pendingTrades).toBe(0);
    expect(pool.global.size).toBe(3);
    check();
    expect((await store.listTrades()).map((t) => t.id)).toEqual([a1.id, a2.id, b1.id]);
    expect(await pool.transfer(), 'nothing left to move').toEqual({ users: 0, trades: 0, failed: 0 });
  });

  it('marks open positions as prices move and drops them when the trade closes', () => {
    const pool = new TradePool({ clock: { now: () => 0 } });
    const p = new Portfolio('alice', 'USDT', 10_000);
    p.applyFill(fill('f1', 'buy', 100, 2, 1), 'BTC', { dustAmount: 1e-8, strategyId: 'ma-cross' });
    p.applyFill(fill('f2', 'sell', 110, 1, 2), 'BTC', { dustAmount: 1e-8, strategyId: 'ma-cross' });
    const pos = p.positions.get('BTC/USDT');
    expect(pos).toBeDefined();
    pool.trackPosition('alice', 'ma-cross', pos as NonNullable<typeof pos>);
    const held = pool.query({ status: 'open' })[0];
    expect(held?.amount).toBe(1);

    expect(pool.updatePrice('BTC/USDT', 130, 3)).toBe(1);
    expect(pool.updatePrice('ETH/USDT', 130, 3), 'other symbols are untouched').toBe(0);
    const marked = pool.query({ status: 'open' })[0];
    // What is held cost 100 × 1 plus its share of the buy fee (0.1): unrealized = 130 − 100.1.
    p.mark('BTC/USDT', 130);
    const truth = p.positions.get('BTC/USDT');
    expect(marked?.unrealizedPnl).toBeCloseTo(truth?.unrealizedPnl ?? Number.NaN, 9);
    expect(marked?.pnl, 'realized part of the round trip is kept').toBeCloseTo((truth?.unrealizedPnl ?? 0) + (truth?.realizedPnl ?? 0), 9);
    expect(marked?.lastPrice).toBe(130);

    const out = p.applyFill(fill('f3', 'sell', 120, 1, 4), 'BTC', { dustAmount: 1e-8, strategyId: 'ma-cross' });
    expect(out.closed).toBeDefined();
    pool.recordTrade(out.closed as Trade);
    expect(pool.query({ status: 'open' })).toEqual([]);
    expect(pool.query({ status: 'closed' })[0]?.pnl).toBeCloseTo((out.closed as Trade).pnl, 12);
  });

  it('keeps trades the store refused in the user cache for the next transfer', async () => {
    let fail = true;
    const saved: string[] = [];
    const store = {
      saveTrade: async (t: Trade) => {
        if (fail && t.userId === 'bob') throw new Error('redis down');
        saved.push(t.id);
      },
      listTrades: async () => [],
    };
    const pool = new TradePool({ store });
    pool.recordTrade(trade('alice', 'BTC/USDT', 1, 1));
    pool.recordTrade(trade('bob', 'BTC/USDT', 2, 1));
    expect(await pool.transfer()).toEqual({ users: 2, trades: 1, failed: 1 });
    expect(pool.pendingTrades).toBe(1);
    expect(pool.query({ userId: 'bob' }), 'still visible while waiting').toHaveLength(1);
    fail = false;
    expect(await pool.transfer()).toEqual({ users: 1, trades: 1, failed: 0 });
    expect(saved).toHaveLength(2);
  });

  it('shares one run between concurrent transfers', async () => {
    let calls = 0;
    const pool = new TradePool({ store: { saveTrade: async () => void (calls += 1), listTrades: async () => [] } });
    pool.recordTrade(trade('alice', 'BTC/USDT', 1, 1));
    const [x, y] = await Promise.all([pool.transfer(), pool.transfer()]);
    expect(x).toBe(y);
    expect(calls).toBe(1);
  });

  it('drops closed trades past retention from the pool, not from the store, and can hydrate back', async () => {
    const t = { now: 100 * H };
    const store = new MemoryTradeStore();
    const pool = new TradePool({ store, clock: { now: () => t.now } });
    pool.recordTrade(trade('alice', 'BTC/USDT', 10 * H, 1));
    pool.recordTrade(trade('alice', 'BTC/USDT', 90 * H, 1));
    await pool.transfer();
    expect(pool.cleanup(24 * H), 'only the trade that exited before now − 24 h').toBe(1);
    expect(pool.query().map((e) => e.exitTime)).toEqual([90 * H]);
    expect(await store.listTrades()).toHaveLength(2);
    const fresh = new TradePool({ store });
    expect(await fresh.hydrate({ from: 50 * H })).toBe(1);
    expect(fresh.query({ userId: 'alice' })).toHaveLength(1);
  });

  it('follows an engine bus: opened positions, candle prices and closed trades', () => {
    const bus = new EventBus();
    const pool = new TradePool();
    const detach = pool.attach(bus, () => 'ma-cross');
    bus.emit('trade.opened', { userId: 'alice', symbol: 'BTC/USDT', time: 1, price: 100, amount: 2 });
    bus.emit('candle.closed', { symbol: 'BTC/USDT', timeframe: '1h', candle: { time: 2, open: 100, high: 111, low: 99, close: 110, volume: 1 } });
    expect(pool.query({ status: 'open' })[0]).toMatchObject({ strategyId: 'ma-cross', lastPrice: 110, unrealizedPnl: 20 });
    const closed = trade('alice', 'BTC/USDT', 3, 19);
    bus.emit('trade.closed', { userId: 'alice', trade: closed });
    expect(pool.query().map((e) => e.id)).toEqual([closed.id]);
    detach();
    bus.emit('trade.closed', { userId: 'alice', trade: trade('alice', 'BTC/USDT', 4, 1) });
    expect(pool.query(), 'detached').toHaveLength(1);
  });
});

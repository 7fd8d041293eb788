import { type Candle, Engine, MemoryTradeStore, SimulatedClock, type Strategy, TradingGate } from '@kairos/core';
import { ReplayFeed, SimulatedExchange, loadCandleFile, syntheticMarket } from '@kairos/exchange';
import { FixedFractionSizing } from '@kairos/risk';
import { describe, expect, it } from 'vitest';
import { defaultDataDir } from '../src/wiring/data-dir';

/** Buys every 7th candle, sells every 11th: many orders, positions open at arbitrary cut points. */
const churn: Strategy = {
  id: 'churn',
  warmup: 1,
  indicators: {},
  decide(view) {
    const n = view.length;
    if (n % 11 === 0) return { symbol: view.symbol, time: view.time, direction: 'sell', strength: -1, confidence: 1, source: 'churn', reason: 'sell' };
    if (n % 7 === 0) return { symbol: view.symbol, time: view.time, direction: 'buy', strength: 1, confidence: 1, source: 'churn', reason: 'buy' };
    return null;
  },
};

async function setup() {
  const { candles } = await loadCandleFile(`${defaultDataDir()}/ETH_USDT-1h.csv`);
  const slice = candles.slice(0, 400);
  const exchange = new SimulatedExchange({ markets: [syntheticMarket('ETH/USDT', slice)], balances: { USDT: 10_000 } });
  return { slice, exchange, store: new MemoryTradeStore() };
}

function engine(candles: readonly Candle[], exchange: SimulatedExchange, store: MemoryTradeStore, gate?: TradingGate) {
  return new Engine({
    mode: 'paper',
    userId: 'u1',
    quote: 'USDT',
    timeframe: '1h',
    feed: new ReplayFeed({ timeframe: '1h', series: { 'ETH/USDT': candles } }),
    exchange,
    matching: exchange,
    strategy: churn,
    risk: new FixedFractionSizing({ fraction: 0.3 }),
    store,
    clock: new SimulatedClock(),
    ...(gate ? { gate } : {}),
  });
}

describe('Engine restart', () => {
  it('resumes from the store: no decision sent twice, positions equal the exchange', async () => {
    const { slice, exchange, store } = await setup();
    // Crash-like cut: the first run stops at candle 200 (an entry is open at 196, filled at 197).
    await engine(slice.slice(0, 200), exchange, store).run();
    // The restart replays a little of the past (199..) as a live feed would after a reconnect.
    const second = await engine(slice.slice(195), exchange, store).run();
    const orders = await store.listOrders({ userId: 'u1' });
    const ids = orders.map((o) => o.clientOrderId);
    expect(new Set(ids).size, 'no duplicate client order ids').toBe(ids.length);
    const onExchange = await exchange.fetchOpenOrders();
    expect(onExchange).toEqual([]);
    const bal = await exchange.fetchBalance();
    const held = bal.ETH?.total ?? 0;
    // Every order the exchange knows is in the store.
    for (const o of orders) expect(await exchange.fetchOrderByClientId('ETH/USDT', o.clientOrderId)).toBeDefined();
    // The store's fills add up to what the exchange holds.
    const fills = await store.listFills('u1');
    const net = fills.reduce((s, f) => s + (f.side === 'buy' ? f.amount : -f.amount), 0);
    expect(net).toBeCloseTo(held, 9);
    expect(second.trades.length, 'the restarted engine closes the position it inherited').toBeGreaterThan(0);
  });

  it('holds entries back while the gate is closed, and lets exits through', async () => {
    const { slice, exchange, store } = await setup();
    await engine(slice.slice(0, 100), exchange, store).run();
    const before = (await store.listOrders({ userId: 'u1' })).length;
    const gate = new TradingGate(); // blocked until reconciliation passes
    await engine(slice.slice(100, 200), exchange, store, gate).run();
    const after = await store.listOrders({ userId: 'u1' });
    const newOnes = after.slice(before);
    expect(newOnes.every((o) => o.purpose === 'exit'), 'only exits while blocked').toBe(true);
    gate.unblock('reconciliation');
    await engine(slice.slice(200, 300), exchange, store, gate).run();
    const later = (await store.listOrders({ userId: 'u1' })).slice(after.length);
    expect(later.some((o) => o.purpose === 'entry'), 'entries resume when the gate opens').toBe(true);
  });
});

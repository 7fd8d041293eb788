import { Engine, EventBus, type KairosEventName, MemoryTradeStore, type Order, type OrderIntent, SimulatedClock, type StoredOrder, builtinStrategies } from '@kairos/core';
import { ReplayFeed, SimulatedExchange, loadCandleFile, syntheticMarket } from '@kairos/exchange';
import { FixedFractionSizing } from '@kairos/risk';
import { describe, expect, it } from 'vitest';
import { defaultDataDir } from '../src/wiring/data-dir';

/** A memory store that only passes calls through: its own methods switch the synchronous twins off. */
class AwaitedStore extends MemoryTradeStore {
  override async saveOrder(order: StoredOrder): Promise<void> {
    return super.saveOrder(order);
  }
}

/** A simulated venue reached only through promises, like a real one. */
class AwaitedExchange extends SimulatedExchange {
  override async createOrder(intent: OrderIntent): Promise<Order> {
    return super.createOrder(intent);
  }
}

const EVENTS: KairosEventName[] = [
  'engine.started',
  'engine.stopped',
  'candle.closed',
  'signal.generated',
  'risk.approved',
  'risk.rejected',
  'order.submitted',
  'order.rejected',
  'order.updated',
  'order.filled',
  'trade.opened',
  'trade.closed',
  'portfolio.equity',
];

async function run(awaited: boolean) {
  const { candles } = await loadCandleFile(`${defaultDataDir()}/BTC_USDT-1h.csv`);
  const slice = candles.slice(0, 1500);
  const options = { markets: [syntheticMarket('BTC/USDT', slice)], balances: { USDT: 10_000 }, volumeParticipation: 0.00005 };
  const exchange = awaited ? new AwaitedExchange(options) : new SimulatedExchange(options);
  const clock = new SimulatedClock();
  const store = awaited ? new AwaitedStore(clock) : new MemoryTradeStore(clock);
  const bus = new EventBus();
  const events: string[] = [];
  for (const name of EVENTS) bus.on(name, ((payload: unknown) => events.push(`${name} ${JSON.stringify(payload)}`)) as never);
  const def = builtinStrategies().get('ma-cross');
  const engine = new Engine({
    mode: 'backtest',
    userId: 'u',
    quote: 'USDT',
    timeframe: '1h',
    feed: new ReplayFeed({ timeframe: '1h', series: { 'BTC/USDT': slice } }),
    exchange,
    matching: exchange,
    strategy: def.create(def.params.parse({ kind: 'ema', fast: 5, slow: 20 })),
    preload: { 'BTC/USDT': slice },
    risk: new FixedFractionSizing({ fraction: 0.5 }),
    store,
    clock,
    bus,
  });
  const report = await engine.run();
  return {
    immediate: store.immediate !== undefined && exchange.immediate !== undefined,
    report,
    events,
    orders: await store.listOrders(),
    fills: await store.listFills('u'),
    trades: await store.listTrades(),
  };
}

describe('Engine order path: answered at once vs awaited', () => {
  it('places, fills and records the same orders, trades and events either way', async () => {
    const fast = await run(false);
    const awaited = await run(true);
    expect(fast.immediate, 'memory store and simulated venue answer at once').toBe(true);
    expect(awaited.immediate, 'an overridden method switches the synchronous path off').toBe(false);
    expect(fast.report.ordersPlaced).toBeGreaterThan(20);
    // Partial fills (0.005% of candle volume) make orders span several candles and polls.
    expect(fast.fills.length).toBeGreaterThan(fast.report.ordersPlaced);
    expect(JSON.stringify(fast.report)).toBe(JSON.stringify(awaited.report));
    expect(fast.events).toEqual(awaited.events);
    expect(fast.orders).toEqual(awaited.orders);
    expect(fast.fills).toEqual(awaited.fills);
    expect(fast.trades).toEqual(awaited.trades);
  });
});

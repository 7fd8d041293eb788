import { Engine, EventBus, MemoryLogger, MemoryTradeStore, SimulatedClock, type Strategy } from '@kairos/core';
import { ReplayFeed, SimulatedExchange, loadCandleFile, syntheticMarket } from '@kairos/exchange';
import { FixedFractionSizing } from '@kairos/risk';
import { describe, expect, it } from 'vitest';
import { defaultDataDir } from '../src/wiring/data-dir';

async function runWith(strategy: Strategy) {
  const { candles } = await loadCandleFile(`${defaultDataDir()}/BTC_USDT-1h.csv`);
  const slice = candles.slice(0, 300);
  const exchange = new SimulatedExchange({ markets: [syntheticMarket('BTC/USDT', slice)], balances: { USDT: 10_000 } });
  const logger = new MemoryLogger();
  const bus = new EventBus();
  const errors: string[] = [];
  bus.on('strategy.error', (e) => errors.push(e.error));
  const engine = new Engine({
    mode: 'backtest',
    userId: 'u',
    quote: 'USDT',
    timeframe: '1h',
    feed: new ReplayFeed({ timeframe: '1h', series: { 'BTC/USDT': slice } }),
    exchange,
    matching: exchange,
    strategy,
    risk: new FixedFractionSizing(),
    store: new MemoryTradeStore(),
    clock: new SimulatedClock(),
    bus,
    logger,
  });
  const report = await engine.run();
  return { report, logger, errors };
}

describe('Engine safety wrapper', () => {
  it('contains strategies that throw or return garbage: logged, counted, no order, loop goes on', async () => {
    let calls = 0;
    const hostile: Strategy = {
      id: 'hostile',
      warmup: 1,
      indicators: {},
      decide(view) {
        calls += 1;
        const k = calls % 4;
        if (k === 0) throw new Error('boom');
        if (k === 1) return { symbol: view.symbol, time: view.time, direction: 'buy', strength: Number.NaN, confidence: 1, source: 'hostile', reason: 'nan' };
        if (k === 2) return { symbol: 'ETH/USDT', time: view.time, direction: 'buy', strength: 1, confidence: 1, source: 'hostile', reason: 'wrong symbol' };
        return { symbol: view.symbol, time: view.time, direction: 'buy', strength: 7, confidence: 1, source: 'hostile', reason: 'out of range' };
      },
    };
    const { report, logger, errors } = await runWith(hostile);
    expect(report.candles, 'every candle was processed').toBe(300);
    expect(calls).toBe(300);
    expect(report.strategyErrors).toBe(300);
    expect(report.ordersPlaced, 'garbage never becomes an order').toBe(0);
    expect(errors.filter((e) => e === 'boom')).toHaveLength(75);
    expect(errors.some((e) => /strength NaN/.test(e))).toBe(true);
    expect(errors.some((e) => /symbol 'ETH\/USDT'/.test(e))).toBe(true);
    expect(logger.entries.filter((e) => e.level === 'warn')).toHaveLength(300);
  });

  it('still trades when a strategy behaves', async () => {
    let n = 0;
    const alternating: Strategy = {
      id: 'alt',
      warmup: 1,
      indicators: {},
      decide(view) {
        n += 1;
        if (n % 10 !== 0) return null;
        const direction = (n / 10) % 2 === 1 ? 'buy' : 'sell';
        return { symbol: view.symbol, time: view.time, direction, strength: direction === 'buy' ? 1 : -1, confidence: 1, source: 'alt', reason: direction };
      },
    };
    const { report } = await runWith(alternating);
    expect(report.strategyErrors).toBe(0);
    expect(report.trades.length).toBe(14);
    expect(report.trades.every((t) => t.exitTime > t.entryTime)).toBe(true);
  });
});

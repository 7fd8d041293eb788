import { getIndicator } from '@kairos/indicators-gpu';
import { describe, expect, it } from 'vitest';
import type { Candle } from '../domain/candle';
import { runStrategy } from '../engine/run-strategy';
import { createRsiDivergence, RsiDivergenceParams } from './rsi-divergence';
import { bundledSeries, loadCandles } from './test-support/real-candles';

const HOUR = 3_600_000;
const params = RsiDivergenceParams.parse({ period: 5, lookback: 20, pivot: 2, minGap: 3 });

/** Flat candles (open = high = low = close) from a list of prices, one hour apart. */
function candles(prices: number[]): Candle[] {
  return prices.map((p, i) => ({ time: i * HOUR, open: p, high: p, low: p, close: p, volume: 1 }));
}

function rsiOf(prices: number[]): Float64Array {
  return getIndicator('rsi').batch({ close: Float64Array.from(prices) }, { period: 5 }).value as Float64Array;
}

/** 30 bars drifting up around 130, so RSI and the warm-up are settled. */
const lead = Array.from({ length: 30 }, (_, i) => 125 + (i % 2 === 0 ? i * 0.2 : i * 0.2 - 0.5));

describe('rsi-divergence on hand-built series', () => {
  it('finds the bullish divergence: lower price low, higher RSI low, first low oversold', () => {
    // Crash to 100 (trough A), bounce to 112, slow grind down to 99 (trough B), recover.
    const prices = [...lead, 124, 118, 112, 106, 100, 104, 108, 112, 110.5, 111, 108.5, 109, 106, 106.5, 103, 103.5, 101, 101.5, 99, 102, 105];
    const a = lead.length + 4;
    const b = prices.indexOf(99);
    const rsi = rsiOf(prices);
    expect(rsi[a], 'trough A is oversold').toBeLessThan(30);
    expect(rsi[b], 'RSI makes a higher low at B').toBeGreaterThan(rsi[a] as number);
    expect(prices[b], 'price makes a lower low at B').toBeLessThan(prices[a] as number);

    const signals = runStrategy(createRsiDivergence(params), { symbol: 'T/USDT', timeframe: '1h', candles: candles(prices) });
    expect(signals.map((s) => s.direction)).toEqual(['buy']);
    // Confirmed `pivot` bars after trough B, at that bar's close.
    expect(signals[0]?.time).toBe((b + params.pivot + 1) * HOUR);
    expect(signals[0]?.reason).toMatch(/bullish RSI divergence/);
  });

  it('stays silent when price makes a higher low (no divergence)', () => {
    const prices = [...lead, 124, 118, 112, 106, 100, 104, 108, 112, 110.5, 111, 108.5, 109, 106, 106.5, 103, 103.5, 101, 101.5, 100.5, 102, 105];
    expect(runStrategy(createRsiDivergence(params), { symbol: 'T/USDT', timeframe: '1h', candles: candles(prices) })).toEqual([]);
  });

  it('stays silent when the first low was not oversold enough', () => {
    // The divergent series of the first test, but trough A (RSI ~2.4) must now reach 2.
    const prices = [...lead, 124, 118, 112, 106, 100, 104, 108, 112, 110.5, 111, 108.5, 109, 106, 106.5, 103, 103.5, 101, 101.5, 99, 102, 105];
    const a = lead.length + 4;
    expect(rsiOf(prices)[a]).toBeGreaterThan(2);
    const strict = RsiDivergenceParams.parse({ ...params, oversold: 2 });
    expect(runStrategy(createRsiDivergence(strict), { symbol: 'T/USDT', timeframe: '1h', candles: candles(prices) })).toEqual([]);
  });

  it('finds the bearish mirror: higher price high, lower RSI high, first high overbought', () => {
    const mirror = (p: number) => 260 - p;
    const prices = [...lead, 124, 118, 112, 106, 100, 104, 108, 112, 110.5, 111, 108.5, 109, 106, 106.5, 103, 103.5, 101, 101.5, 99, 102, 105].map(mirror);
    const signals = runStrategy(createRsiDivergence(params), { symbol: 'T/USDT', timeframe: '1h', candles: candles(prices) });
    expect(signals.map((s) => s.direction)).toEqual(['sell']);
    expect(signals[0]?.strength).toBeLessThan(0);
  });

  it('on real BTC 1h data, every buy has the divergence it claims', () => {
    const file = bundledSeries().find((s) => s.file === 'BTC_USDT-1h.csv');
    const data = loadCandles(file?.file ?? 'BTC_USDT-1h.csv');
    const p = RsiDivergenceParams.parse({});
    const rsi = getIndicator('rsi').batch({ close: Float64Array.from(data, (c) => c.close) }, { period: p.period }).value as Float64Array;
    const signals = runStrategy(createRsiDivergence(p), { symbol: 'BTC/USDT', timeframe: '1h', candles: data });
    const buys = signals.filter((s) => s.direction === 'buy');
    expect(buys.length).toBeGreaterThan(3);
    for (const s of buys) {
      const i = data.findIndex((c) => c.time + HOUR === s.time);
      const b = i - p.pivot;
      const bars = Number(/(\d+) bars earlier/.exec(s.reason)?.[1]);
      const a = b - bars;
      expect(data[b]?.low, s.reason).toBeLessThan(data[a]?.low as number);
      expect(rsi[b], s.reason).toBeGreaterThan(rsi[a] as number);
      expect(rsi[a], s.reason).toBeLessThanOrEqual(p.oversold);
    }
  });
});

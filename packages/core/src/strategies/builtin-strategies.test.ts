import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Candle } from '../domain/candle';
import type { Signal } from '../domain/signal';
import { runStrategy } from '../engine/run-strategy';
import type { Strategy } from '../ports/strategy';
import { builtinStrategies } from './index';
import { bundledSeries, loadCandles } from './test-support/real-candles';

const registry = builtinStrategies();
/** Every built-in strategy, with default parameters and with volatility-adaptive ones. */
const variants: Array<{ name: string; make: () => Strategy }> = registry.ids().flatMap((id) => [
  { name: `${id}`, make: () => registry.create(id, {}) },
  { name: `${id} dynamic`, make: () => registry.create(id, { dynamic: true }) },
]);

const series = bundledSeries();
/** 5m files hold ~28k candles; the newest 8k keep the suite fast and still span weeks. */
const candlesOf = new Map(series.map((s) => [s.file, s.timeframe === '5m' ? loadCandles(s.file).slice(-8000) : loadCandles(s.file)]));

function key(s: Signal): string {
  return `${s.time}|${s.direction}|${s.strength}|${s.confidence}|${s.reason}`;
}

describe('built-in strategies on the bundled data', () => {
  it('covers every bundled symbol and all four seed strategies', () => {
    expect(series.length, 'bundled 1h and 5m files').toBeGreaterThanOrEqual(15);
    expect(registry.ids()).toEqual(expect.arrayContaining(['ma-cross', 'rsi-divergence', 'bollinger-breakout', 'macd-trend']));
  });

  for (const v of variants) {
    it(`${v.name}: batch and streaming indicators give identical signal lists on every symbol`, () => {
      let total = 0;
      for (const s of series) {
        const candles = candlesOf.get(s.file) as Candle[];
        const opts = { symbol: s.symbol, timeframe: s.timeframe, candles };
        const batch = runStrategy(v.make(), { ...opts, mode: 'batch' }).map(key);
        const stream = runStrategy(v.make(), { ...opts, mode: 'stream' }).map(key);
        expect(stream, `${v.name} on ${s.file}`).toEqual(batch);
        total += batch.length;
      }
      // A strategy that never fires would pass parity vacuously.
      expect(total, `${v.name} fires on real data`).toBeGreaterThan(20);
    });
  }

  for (const v of variants) {
    it(`${v.name}: appending future candles never changes a past signal`, () => {
      const files = ['BTC_USDT-1h.csv', 'PEPE_USDT-1h.csv', 'ETH_USDT-5m.csv.gz'].filter((f) => candlesOf.has(f));
      for (const file of files) {
        const candles = candlesOf.get(file) as Candle[];
        const meta = series.find((s) => s.file === file) as (typeof series)[number];
        const full = runStrategy(v.make(), { symbol: meta.symbol, timeframe: meta.timeframe, candles });
        fc.assert(
          fc.property(fc.integer({ min: 1, max: candles.length - 1 }), (cut) => {
            const prefix = candles.slice(0, cut);
            const lastClose = (prefix[cut - 1] as Candle).time + (candles[1] as Candle).time - (candles[0] as Candle).time;
            const past = runStrategy(v.make(), { symbol: meta.symbol, timeframe: meta.timeframe, candles: prefix }).map(key);
            const sameWindow = full.filter((s) => s.time <= lastClose).map(key);
            expect(past).toEqual(sameWindow);
          }),
          { numRuns: 8, seed: 42 },
        );
      }
    });
  }
});

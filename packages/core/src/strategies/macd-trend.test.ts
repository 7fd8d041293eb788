import { getIndicator } from '@kairos/indicators-gpu';
import { describe, expect, it } from 'vitest';
import { runStrategy } from '../engine/run-strategy';
import { createMacdTrend, MacdTrendParams } from './macd-trend';
import { loadCandles } from './test-support/real-candles';

const HOUR = 3_600_000;
const data = loadCandles('BTC_USDT-1h.csv');
const close = Float64Array.from(data, (c) => c.close);

describe('macd-trend on real BTC 1h data', () => {
  const p = MacdTrendParams.parse({});
  const hist = getIndicator('macd').batch({ close }, { fast: 12, slow: 26, signal: 9 }).histogram as Float64Array;
  const trend = getIndicator('ema').batch({ close }, { period: 200 }).value as Float64Array;
  const signals = runStrategy(createMacdTrend(p), { symbol: 'BTC/USDT', timeframe: '1h', candles: data });

  it('buys on a histogram turn above zero, above the EMA(200) trend, past the histogram floor', () => {
    const buys = signals.filter((s) => s.direction === 'buy');
    expect(buys.length).toBeGreaterThan(20);
    for (const s of buys) {
      const i = (s.time - data[0]!.time) / HOUR - 1;
      expect(hist[i - 1]!, s.reason).toBeLessThanOrEqual(0);
      expect(hist[i]!, s.reason).toBeGreaterThan(0);
      expect(close[i]!, s.reason).toBeGreaterThan(trend[i]!);
      expect((hist[i]! / close[i]!) * 100).toBeGreaterThanOrEqual(p.minHistogram);
    }
  });

  it('the trend filter removes counter-trend buys', () => {
    const unfiltered = runStrategy(createMacdTrend(MacdTrendParams.parse({ trend: 0 })), { symbol: 'BTC/USDT', timeframe: '1h', candles: data });
    const n = (xs: typeof signals) => xs.filter((s) => s.direction === 'buy').length;
    expect(n(unfiltered)).toBeGreaterThan(n(signals));
  });
});

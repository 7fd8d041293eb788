import { describe, expect, it } from 'vitest';
import type { Candle } from '../domain/candle';
import { runStrategy } from './run-strategy';
import type { Strategy } from '../ports/strategy';
import { loadCandles } from '../strategies/test-support/real-candles';
import { SymbolState } from './symbol-state';
import { CandleResampler } from './candle-resampler';

const M5 = 300_000;
const H1 = 3_600_000;
const fiveMin = loadCandles('BTC_USDT-5m.csv.gz').slice(0, 6000);
const hourly = new Map(loadCandles('BTC_USDT-1h.csv').map((c) => [c.time, c]));

describe('higher-timeframe inputs', () => {
  it('resamples 5m into the same 1h candles the exchange published', () => {
    const r = new CandleResampler('5m', '1h');
    const out = fiveMin.flatMap((c) => r.push(c));
    expect(out.length).toBe(Math.floor(fiveMin.length / 12));
    for (const h of out) {
      const ref = hourly.get(h.time) as Candle;
      expect(h.open).toBe(ref.open);
      expect(h.high).toBe(ref.high);
      expect(h.low).toBe(ref.low);
      expect(h.close).toBe(ref.close);
      expect(h.volume).toBeCloseTo(ref.volume, 6);
    }
  });

  it('shows a 1h candle only once it has closed, never the forming one', () => {
    const state = new SymbolState('BTC/USDT', '5m');
    const view = state.viewFor({ indicators: {}, timeframes: { h1: { timeframe: '1h', indicators: { ema: { indicator: 'ema', params: { period: 3 } } } } } });
    let seen = 0;
    for (const c of fiveMin.slice(0, 400)) {
      state.append(c);
      const h = view.higher?.('h1');
      const closedHours = Math.floor((c.time + M5) / H1) - Math.floor(fiveMin[0]!.time / H1);
      if (closedHours === 0) {
        expect(h, 'no hour has closed yet').toBeUndefined();
        continue;
      }
      expect(h?.length).toBe(closedHours);
      expect(h!.time, 'the last visible hour closed at or before now').toBeLessThanOrEqual(view.time);
      expect(view.time - h!.time).toBeLessThan(H1);
      seen += 1;
    }
    expect(seen).toBeGreaterThan(300);
  });

  it('a 5m strategy with a 1h trend filter gives the same signals in batch and streaming', () => {
    const make = (): Strategy => ({
      id: 'mtf',
      warmup: 30,
      indicators: { fast: { indicator: 'ema', params: { period: 9 } }, slow: { indicator: 'ema', params: { period: 21 } } },
      timeframes: { trend: { timeframe: '1h', indicators: { ema: { indicator: 'ema', params: { period: 20 } } } } },
      decide(view) {
        const h = view.higher?.('trend');
        const trend = h?.indicator('ema') ?? Number.NaN;
        const up = view.indicator('fast', 1) <= view.indicator('slow', 1) && view.indicator('fast') > view.indicator('slow');
        if (!up || !(view.candle()!.close > trend)) return null;
        return { symbol: view.symbol, time: view.time, direction: 'buy', strength: 0.5, confidence: 0.5, source: 'mtf', reason: `above 1h EMA ${trend}` };
      },
    });
    const opts = { symbol: 'BTC/USDT', timeframe: '5m' as const, candles: fiveMin };
    const batch = runStrategy(make(), { ...opts, mode: 'batch' });
    expect(batch.length).toBeGreaterThan(10);
    expect(runStrategy(make(), { ...opts, mode: 'stream' })).toEqual(batch);
  });

  it('rejects a higher timeframe that is not a multiple of the base one', () => {
    expect(() => new CandleResampler('1h', '5m')).toThrow(/not a multiple/);
  });
});

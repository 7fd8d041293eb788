import { getIndicator } from '@kairos/indicators-gpu';
import { describe, expect, it } from 'vitest';
import { loadCandles } from '../strategies/test-support/real-candles';
import { CandleSeries } from './candle-series';
import { IndicatorSet } from './indicator-set';

const data = loadCandles('XRP_USDT-1h.csv', 1500);

describe('IndicatorSet', () => {
  it('computes a preloaded run in batch once and agrees with streaming value for value', () => {
    const reqs = { e: { indicator: 'ema', params: { period: 20 } }, m: { indicator: 'macd', output: 'histogram' } };
    const batchHistory = new CandleSeries();
    const batch = new IndicatorSet(reqs, batchHistory);
    batch.preload(data);
    const streamHistory = new CandleSeries();
    const stream = new IndicatorSet(reqs, streamHistory);
    for (const c of data) {
      batchHistory.push(c);
      batch.update(c);
      streamHistory.push(c);
      stream.update(c);
      const i = batch.length - 1;
      expect(batch.valueAt('e', i + 1), 'the future stays hidden').toBeNaN();
      expect(batch.valueAt('m', i)).toBe(stream.valueAt('m', i));
      expect(batch.valueAt('e', i)).toBe(stream.valueAt('e', i));
    }
    expect(batch.streaming, 'the batch run never touched the streaming kernels').toBe(false);
    expect(stream.streaming).toBe(true);
  });

  it('drops the preload and streams on when a different candle arrives', () => {
    const history = new CandleSeries();
    const set = new IndicatorSet({ s: { indicator: 'sma', params: { period: 5 } } }, history);
    set.preload(data.slice(0, 100));
    const other = data.slice(0, 120).map((c, i) => (i === 50 ? { ...c, close: c.close * 1.01, high: c.high * 1.01 } : c));
    for (const c of other) {
      history.push(c);
      set.update(c);
    }
    const ref = getIndicator('sma').batch({ close: Float64Array.from(other, (c) => c.close) }, { period: 5 }).value as Float64Array;
    for (let i = 0; i < other.length; i++) {
      if (i < 4) expect(set.valueAt('s', i), 'warm-up').toBeNaN();
      else expect(set.valueAt('s', i)).toBeCloseTo(ref[i] as number, 9);
    }
    expect(set.streaming).toBe(true);
  });

  it('shares one computation between identical requests and catches late ones up', () => {
    const history = new CandleSeries();
    const set = new IndicatorSet({ a: { indicator: 'ema', params: { period: 10 } } }, history);
    for (const c of data.slice(0, 50)) {
      history.push(c);
      set.update(c);
    }
    const refs = set.add({ b: { indicator: 'ema', params: { period: 10 } }, r: { indicator: 'rsi' } });
    expect(set.unitCount).toBe(2);
    expect(refs.get('b')?.unit, 'EMA(10) asked twice is one column').toBe(set.ref('a').unit);
    const rsi = getIndicator('rsi').batch({ close: Float64Array.from(data.slice(0, 50), (c) => c.close) }, {}).value as Float64Array;
    expect(set.read(refs.get('r')!, 49)).toBeCloseTo(rsi[49] as number, 9);
  });

  it('names the key of a bad request', () => {
    expect(() => new IndicatorSet({ x: { indicator: 'nope' } })).toThrow(/indicators\.x/);
    expect(() => new IndicatorSet({ y: { indicator: 'ema', params: { period: -1 } } })).toThrow(/indicators\.y/);
    expect(() => new IndicatorSet({ z: { indicator: 'macd', output: 'bogus' } })).toThrow(/indicators\.z\.output/);
  });
});

import { getIndicator } from '@kairos/indicators-gpu';
import { describe, expect, it } from 'vitest';
import { runStrategy } from '../engine/run-strategy';
import { BollingerBreakoutParams, createBollingerBreakout } from './bollinger-breakout';
import { loadCandles } from './test-support/real-candles';

const HOUR = 3_600_000;
const data = loadCandles('SOL_USDT-1h.csv');

describe('bollinger-breakout on real SOL 1h data', () => {
  const p = BollingerBreakoutParams.parse({});
  const bb = getIndicator('bbands').batch({ close: Float64Array.from(data, (c) => c.close) }, { period: p.period, stddev: p.stddev });
  const signals = runStrategy(createBollingerBreakout(p), { symbol: 'SOL/USDT', timeframe: '1h', candles: data });
  const index = (time: number) => (time - data[0]!.time) / HOUR - 1;

  it('buys only on a fresh close above the upper band with confirming volume', () => {
    const buys = signals.filter((s) => s.direction === 'buy');
    expect(buys.length).toBeGreaterThan(10);
    for (const s of buys) {
      const i = index(s.time);
      expect(data[i]!.close, s.reason).toBeGreaterThan(bb.upper![i]!);
      expect(data[i - 1]!.close, 'the bar before was inside').toBeLessThanOrEqual(bb.upper![i - 1]!);
      const avg = data.slice(i - p.volumePeriod, i).reduce((a, c) => a + c.volume, 0) / p.volumePeriod;
      expect(data[i]!.volume, s.reason).toBeGreaterThanOrEqual(avg * p.volumeFactor);
    }
  });

  it('requireSqueeze keeps a subset: breakouts out of a squeeze, with higher confidence', () => {
    const squeezeOnly = runStrategy(createBollingerBreakout(BollingerBreakoutParams.parse({ requireSqueeze: true, exitAtMiddle: false })), {
      symbol: 'SOL/USDT',
      timeframe: '1h',
      candles: data,
    });
    const all = new Set(signals.map((s) => s.time));
    expect(squeezeOnly.length).toBeGreaterThan(0);
    expect(squeezeOnly.length).toBeLessThan(signals.filter((s) => s.confidence >= 0.5).length);
    for (const s of squeezeOnly) {
      expect(all.has(s.time)).toBe(true);
      expect(s.confidence).toBe(0.7);
      expect(s.reason).toMatch(/after a squeeze/);
    }
  });

  it('marks a breakout as out of a squeeze exactly when the band width came near its narrowest', () => {
    const width = bb.bandwidth as Float64Array;
    const breakouts = signals.filter((s) => s.confidence >= 0.5);
    expect(breakouts.some((s) => s.confidence === 0.7)).toBe(true);
    expect(breakouts.some((s) => s.confidence === 0.5)).toBe(true);
    for (const s of breakouts) {
      const i = index(s.time);
      // The definition, computed naively: narrowest over the lookback, any bar of the window near it.
      let narrowest = Number.POSITIVE_INFINITY;
      for (let o = 1; o <= p.squeezeLookback; o++) if (i - o >= 0 && (width[i - o] as number) < narrowest) narrowest = width[i - o] as number;
      let squeeze = false;
      for (let o = 1; o <= p.squeezeWindow; o++) if (i - o >= 0 && (width[i - o] as number) <= narrowest * (1 + p.squeezeTolerance)) squeeze = true;
      expect(s.confidence === 0.7, `${s.time}: ${s.reason}`).toBe(squeeze);
    }
  });

  it('dynamic mode scales the band multiplier with volatility, both below and above the base k', () => {
    const dyn = runStrategy(createBollingerBreakout(BollingerBreakoutParams.parse({ dynamic: true, exitAtMiddle: false })), { symbol: 'SOL/USDT', timeframe: '1h', candles: data });
    const ks = dyn.map((s) => Number(/\(k=([\d.]+)\)/.exec(s.reason)?.[1]));
    expect(Math.max(...ks)).toBeGreaterThan(2);
    expect(Math.min(...ks)).toBeLessThan(2);
  });
});

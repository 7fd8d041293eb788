import { getIndicator } from '@kairos/indicators-gpu';
import { describe, expect, it } from 'vitest';
import type { Candle } from '../domain/candle';
import type { Signal } from '../domain/signal';
import { seriesViewOf } from '../engine/market-view';
import { ReplayView } from '../engine/replay-view';
import { runStrategy } from '../engine/run-strategy';
import { SymbolState } from '../engine/symbol-state';
import type { SeriesView, Strategy } from '../ports/strategy';
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

/**
 * A hand-made series: closes alternating 99/101 on volume 100 (middle band ≈ 100), ending
 * with a bar at 101 (at or above the middle band) and then a close of 80, far below
 * the lower band, on `lastVolume`.
 */
function fallSeries(lastVolume: number): Candle[] {
  const closes: number[] = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? 99 : 101));
  closes.push(80);
  return closes.map((close, i) => ({
    time: i * HOUR,
    open: close,
    high: close + 0.5,
    low: close - 0.5,
    close,
    volume: i === closes.length - 1 ? lastVolume : 100,
  }));
}

/** Small windows so that a short series is past the warm-up. */
const small = { period: 10, stddev: 2, volumePeriod: 5, volumeFactor: 1.5, squeezeLookback: 5, squeezeWindow: 1 };

function key(s: Signal | null): string {
  return s === null ? '-' : `${s.symbol}|${s.time}|${s.direction}|${s.strength}|${s.confidence}|${s.source}|${s.reason}`;
}

/**
 * Every bar's signal from `decideSeries` and from `decide` (replayed over the same columns),
 * checked equal field for field, the reason included; also the columns, to check the setup.
 */
function bothForms(params: Record<string, unknown>, candles: Candle[]): { signals: (Signal | null)[]; columns: SeriesView } {
  const p = BollingerBreakoutParams.parse(params);
  const batchStrategy = createBollingerBreakout(p);
  const state = new SymbolState('TEST/USDT', '1h', {}, { preload: candles });
  const view = state.viewFor(batchStrategy);
  for (const c of candles) state.append(c);
  const columns = seriesViewOf(view) as SeriesView;
  const from = Math.max(batchStrategy.warmup - 1, 0);
  const out = (batchStrategy.decideSeries as NonNullable<Strategy['decideSeries']>).call(batchStrategy, columns, from);
  const batch = new Array<Signal | null>(candles.length).fill(null);
  out.bars.forEach((bar, k) => {
    batch[bar] = out.signals[k] as Signal;
  });
  const perBarStrategy = createBollingerBreakout(p);
  const replay = new ReplayView(columns);
  const perBar = candles.map((_, i) => (i < from ? null : perBarStrategy.decide(replay.moveTo(i))));
  expect(batch.map(key), 'decideSeries equals decide on every bar').toEqual(perBar.map(key));
  return { signals: perBar, columns };
}

describe('bollinger-breakout on a hand-made fall through the whole band', () => {
  it('the setup: the bar before is at or above the middle band, the last bar closes below the lower band', () => {
    const candles = fallSeries(100);
    const { columns } = bothForms(small, candles);
    const n = candles.length;
    const mid = columns.indicator('middle');
    const upper = columns.indicator('upper');
    const lower = (i: number) => 2 * (mid[i] as number) - (upper[i] as number);
    expect(candles[n - 2]!.close).toBeGreaterThanOrEqual(mid[n - 2] as number);
    expect(candles[n - 2]!.close).toBeLessThanOrEqual(upper[n - 2] as number);
    expect(candles[n - 1]!.close).toBeLessThan(lower(n - 1));
    const avg = candles.slice(n - 1 - small.volumePeriod, n - 1).reduce((a, c) => a + c.volume, 0) / small.volumePeriod;
    expect(candles[n - 1]!.volume).toBeLessThan(avg * small.volumeFactor);
  });

  it('sells on the middle-band exit when a bar falls from at or above the middle band to below the lower band on thin volume', () => {
    const candles = fallSeries(100);
    const { signals } = bothForms(small, candles);
    const last = signals[candles.length - 1];
    expect(last, 'the middle-band exit fires').not.toBeNull();
    expect(last!.direction).toBe('sell');
    expect(last!.strength).toBe(-0.3);
    expect(last!.confidence).toBe(0.4);
    expect(last!.reason).toMatch(/fell back under the middle band/);
    // Through runStrategy too, in both indicator modes.
    for (const mode of ['batch', 'stream'] as const) {
      const run = runStrategy(createBollingerBreakout(BollingerBreakoutParams.parse(small)), { symbol: 'TEST/USDT', timeframe: '1h', candles, mode });
      expect(run.map((s) => [s.time, s.direction, s.reason]), mode).toContainEqual([candles[candles.length - 1]!.time + HOUR, 'sell', last!.reason]);
    }
  });

  it('the same fall on breakout volume is still the lower-band breakdown sell', () => {
    const candles = fallSeries(1000);
    const { signals } = bothForms(small, candles);
    const last = signals[candles.length - 1];
    expect(last).not.toBeNull();
    expect(last!.direction).toBe('sell');
    expect(last!.reason).toMatch(/broke below lower band/);
    expect(last!.strength).toBeLessThanOrEqual(-0.5);
  });

  it('without exitAtMiddle, the thin-volume fall gives no signal', () => {
    const candles = fallSeries(100);
    const { signals } = bothForms({ ...small, exitAtMiddle: false }, candles);
    expect(signals[candles.length - 1]).toBeNull();
  });

  it('with requireSqueeze and no squeeze, a volume-confirmed fall still takes the middle-band exit', () => {
    // Widening swings: the band width before the fall is never near its narrowest.
    const candles = fallSeries(1000).map((c, i, all) => {
      if (i === all.length - 1) return c;
      const close = i % 2 === 0 ? 100 - 0.1 * (i + 1) : 100 + 0.1 * (i + 1);
      return { ...c, open: close, high: close + 0.5, low: close - 0.5, close };
    });
    const plain = bothForms(small, candles).signals[candles.length - 1];
    expect(plain?.reason, 'a confirmed breakdown without the squeeze filter').toMatch(/broke below lower band \S+ \(k=[\d.]+\) on [\d.]+× volume$/);
    const { signals } = bothForms({ ...small, requireSqueeze: true }, candles);
    const last = signals[candles.length - 1];
    expect(last).not.toBeNull();
    expect(last!.reason).toMatch(/fell back under the middle band/);
  });
});

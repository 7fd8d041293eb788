import { describe, expect, it } from 'vitest';
import type { Candle } from '../domain/candle';
import type { Signal } from '../domain/signal';
import { seriesViewOf } from '../engine/market-view';
import { ReplayView } from '../engine/replay-view';
import { SafeStrategy } from '../engine/safe-strategy';
import { SymbolState } from '../engine/symbol-state';
import { MemoryLogger } from '../log/loggers';
import type { SeriesSignals, SeriesView, Strategy } from '../ports/strategy';
import { builtinStrategies } from './index';
import { bundledSeries, loadCandles } from './test-support/real-candles';

const registry = builtinStrategies();
const series = bundledSeries();
/** 5m files hold ~28k candles; the newest 6k keep the suite fast. */
const candlesOf = new Map(series.map((s) => [s.file, s.timeframe === '5m' ? loadCandles(s.file).slice(-6000) : loadCandles(s.file)]));

/** Defaults, volatility-adaptive, and settings that take the other branches of each strategy. */
const variants: Array<{ id: string; params: Record<string, unknown> }> = [
  ...registry.ids().flatMap((id) => [
    { id, params: {} },
    { id, params: { dynamic: true } },
  ]),
  { id: 'ma-cross', params: { kind: 'sma', fast: 5, slow: 20 } },
  { id: 'rsi-divergence', params: { pivot: 1, minGap: 2, lookback: 12, oversold: 40, overbought: 60 } },
  { id: 'rsi-divergence', params: { pivot: 5, lookback: 80, dynamic: true, volShort: 7, volLong: 50 } },
  { id: 'bollinger-breakout', params: { requireSqueeze: true, squeezeTolerance: 0.5 } },
  { id: 'bollinger-breakout', params: { exitAtMiddle: false, volumeFactor: 0, stddev: 1.5, squeezeLookback: 30, squeezeWindow: 29 } },
  { id: 'macd-trend', params: { trend: 0, minHistogram: 0 } },
  { id: 'macd-trend', params: { trendFilterExits: true, trend: 50 } },
];

/** Every field a consumer can read, the reason included (it is written lazily). */
function key(s: Signal | null): string {
  return s === null ? '-' : `${s.symbol}|${s.time}|${s.direction}|${s.strength}|${s.confidence}|${s.source}|${s.reason}`;
}

/** A `decideSeries` result as one entry per bar (null: no signal), after checking its order. */
function dense(n: number, out: SeriesSignals): (Signal | null)[] {
  expect(out.bars.length).toBe(out.signals.length);
  const all = new Array<Signal | null>(n).fill(null);
  out.bars.forEach((bar, k) => {
    if (k > 0) expect(bar).toBeGreaterThan(out.bars[k - 1] as number);
    all[bar] = out.signals[k] as Signal;
  });
  return all;
}

/** A symbol's whole series as the engine holds it after a backtest's candles went in. */
function seriesOf(strategy: Strategy, symbol: string, candles: readonly Candle[]): SeriesView {
  const state = new SymbolState(symbol, '1h', {}, { preload: candles });
  const view = state.viewFor(strategy);
  for (const c of candles) state.append(c);
  return seriesViewOf(view) as SeriesView;
}

/** `decide` on every bar of a complete series, through a replay view. */
function replay(strategy: Strategy, s: SeriesView, from = 0): (Signal | null)[] {
  const view = new ReplayView(s);
  const out: (Signal | null)[] = [];
  for (let i = 0; i < s.length; i++) out.push(i < from ? null : strategy.decide(view.moveTo(i)));
  return out;
}

describe('decideSeries of the built-in strategies', () => {
  for (const v of variants) {
    it(`${v.id} ${JSON.stringify(v.params)}: equals decide on every bar of every bundled series`, () => {
      let fired = 0;
      for (const s of series) {
        const candles = candlesOf.get(s.file) as Candle[];
        const batchStrategy = registry.create(v.id, v.params);
        const columns = seriesOf(batchStrategy, s.symbol, candles);
        const batch = dense(candles.length, (batchStrategy.decideSeries as NonNullable<Strategy['decideSeries']>).call(batchStrategy, columns, 0));
        const perBar = replay(registry.create(v.id, v.params), columns);
        expect(batch.length).toBe(candles.length);
        expect(batch.map(key), `${v.id} on ${s.file}`).toEqual(perBar.map(key));
        fired += perBar.filter((x) => x !== null).length;
      }
      // Equal lists of nothing would prove nothing.
      expect(fired, 'signals on the bundled data').toBeGreaterThan(10);
    });
  }

  it('starts at `from`: earlier bars are null', () => {
    const candles = candlesOf.get('BTC_USDT-1h.csv') as Candle[];
    const strategy = registry.create('bollinger-breakout', { volumeFactor: 0 });
    const columns = seriesOf(strategy, 'BTC/USDT', candles);
    const decide = strategy.decideSeries as NonNullable<Strategy['decideSeries']>;
    const from = 3000;
    const part = dense(candles.length, decide.call(strategy, columns, from));
    const whole = dense(candles.length, decide.call(strategy, columns, 0));
    expect(part.slice(0, from).every((x) => x === null)).toBe(true);
    expect(part.slice(from).map(key)).toEqual(whole.slice(from).map(key));
    expect(part.slice(from).some((x) => x !== null)).toBe(true);
  });

  it('rsi-divergence: a non-finite price takes the checked path, and still equals decide', () => {
    const candles = (candlesOf.get('BTC_USDT-1h.csv') as Candle[]).slice(0, 2000);
    const strategy = registry.create('rsi-divergence', { pivot: 2, oversold: 45, overbought: 55 });
    const real = seriesOf(strategy, 'BTC/USDT', candles);
    const lows = Float64Array.from(real.field('low'));
    const highs = Float64Array.from(real.field('high'));
    // Bars whose swings (and those of their neighbours) a gap would change.
    for (const i of [400, 401, 1200]) lows[i] = Number.NaN;
    highs[900] = Number.POSITIVE_INFINITY;
    const gappy: SeriesView = {
      symbol: real.symbol,
      timeframe: real.timeframe,
      length: real.length,
      time: (i) => real.time(i),
      field: (name) => (name === 'low' ? lows : name === 'high' ? highs : real.field(name)),
      indicator: (key) => real.indicator(key),
    };
    const batch = dense(gappy.length, (strategy.decideSeries as NonNullable<Strategy['decideSeries']>).call(strategy, gappy, 0));
    const perBar = replay(registry.create('rsi-divergence', { pivot: 2, oversold: 45, overbought: 55 }), gappy);
    expect(batch.map(key)).toEqual(perBar.map(key));
    expect(perBar.filter((x) => x !== null).length).toBeGreaterThan(5);
  });
});

describe('SafeStrategy.decideSeries', () => {
  const candles = (candlesOf.get('ETH_USDT-1h.csv') ?? (candlesOf.get('BTC_USDT-1h.csv') as Candle[])).slice(0, 1500);
  const inner = () => registry.create('ma-cross', {});

  it('replays a strategy without a batch form through decide, bar by bar', () => {
    const s = inner();
    const plain: Strategy = { id: s.id, warmup: s.warmup, indicators: s.indicators, decide: (v) => s.decide(v) };
    const columns = seriesOf(plain, 'ETH/USDT', candles);
    const got = dense(columns.length, new SafeStrategy(plain, new MemoryLogger()).decideSeries(columns, 0));
    expect(got.map(key)).toEqual(replay(inner(), columns).map(key));
    expect(got.some((x) => x !== null)).toBe(true);
  });

  it('falls back to replaying decide when the batch form throws or breaks the bar order, and logs it', () => {
    const s0 = inner();
    const columns0 = seriesOf(s0, 'ETH/USDT', candles);
    const real = (s0.decideSeries as NonNullable<Strategy['decideSeries']>).call(s0, columns0, 0);
    expect(real.bars.length).toBeGreaterThan(2);
    for (const broken of [
      (): SeriesSignals => {
        throw new Error('batch bug');
      },
      (): SeriesSignals => ({ bars: [...real.bars].reverse(), signals: [...real.signals].reverse() }),
      (): SeriesSignals => ({ bars: real.bars, signals: real.signals.slice(1) }),
      (): SeriesSignals => ({ bars: [...real.bars, columns0.length], signals: [...real.signals, real.signals[0] as Signal] }),
    ]) {
      const s = inner();
      const strategy: Strategy = { ...s, decide: (v) => s.decide(v), decideSeries: broken };
      const logger = new MemoryLogger();
      const columns = seriesOf(strategy, 'ETH/USDT', candles);
      const got = dense(columns.length, new SafeStrategy(strategy, logger).decideSeries(columns, 0));
      expect(got.map(key)).toEqual(replay(inner(), columns).map(key));
      expect(logger.entries.filter((e) => e.level === 'warn')).toHaveLength(1);
    }
  });

  it('drops and counts an invalid signal of the batch form, as decide would', () => {
    const s = inner();
    const strategy: Strategy = {
      ...s,
      decide: (v) => s.decide(v),
      decideSeries(columns, from) {
        const out = (s.decideSeries as NonNullable<Strategy['decideSeries']>).call(s, columns, from);
        const signals = [...out.signals];
        signals[0] = { ...(signals[0] as Signal), strength: Number.NaN };
        return { bars: out.bars, signals };
      },
    };
    const failures: string[] = [];
    const safe = new SafeStrategy(strategy, new MemoryLogger(), (_symbol, error) => failures.push(error));
    const columns = seriesOf(strategy, 'ETH/USDT', candles);
    const got = dense(columns.length, safe.decideSeries(columns, 0));
    const expected = replay(inner(), columns);
    const first = expected.findIndex((x) => x !== null);
    expected[first] = null;
    expect(got.map(key)).toEqual(expected.map(key));
    expect(safe.errorCount).toBe(1);
    expect(failures[0]).toMatch(/strength NaN/);
  });
});

describe('ReplayView', () => {
  const candles = (candlesOf.get('BTC_USDT-1h.csv') as Candle[]).slice(0, 300);
  const strategy = registry.create('ma-cross', {});
  const columns = seriesOf(strategy, 'BTC/USDT', candles);

  it('shows the series up to its cursor and nothing later', () => {
    const view = new ReplayView(columns).moveTo(99);
    expect(view.length).toBe(100);
    expect(view.candle()).toEqual(candles[99]);
    expect(view.candle(99)).toEqual(candles[0]);
    expect(view.candle(100)).toBeUndefined();
    expect(view.field('close', 1)).toBe((candles[98] as Candle).close);
    expect(view.time).toBe((candles[99] as Candle).time + 3_600_000);
    expect(view.indicator('slow', 200)).toBeNaN();
    expect(view.indicator('fast')).toBe(columns.indicator('fast')[99]);
    expect(() => view.candle(-1)).toThrow(RangeError);
    expect(() => view.indicator('fast', -1)).toThrow(RangeError);
    expect(() => view.moveTo(300)).toThrow(RangeError);
    expect(() => view.indicator('nope')).toThrow(/no indicator 'nope'/);
  });
});

import { builtinStrategies, type Candle, type Strategy, type Trade } from '@kairos/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Evaluator,
  ResearchConfigError,
  type SeriesData,
  type SetScore,
  createLocalEvaluator,
  loadSeries,
  lookaheadCheck,
  monteCarlo,
  paramSpace,
  percentile,
  sensitivity,
  walkForward,
} from '../src';
import { DATA_DIR } from './helpers';

const def = builtinStrategies().get('ma-cross');

const trade = (pnl: number, i: number): Trade => ({ id: String(i), userId: 'u', symbol: 'BTC/USDT', side: 'long', strategyId: 's', entryTime: i, entryPrice: 1, exitTime: i + 1, exitPrice: 1, amount: 1, pnl, pnlPct: 0, fees: 0 });

describe('Monte Carlo', () => {
  // From 1000: +100 (10%), −110 (−10% of 1100), +99 (10% of 990), −108.9 (−10% of 1089).
  const trades = [100, -110, 99, -108.9].map(trade);
  it('shuffle keeps the final equity (a product) and varies drawdown; seeded', () => {
    const a = monteCarlo({ trades, startEquity: 1000, method: 'shuffle', runs: 500, seed: 5 });
    expect(a.finalEquity.p5).toBeCloseTo(1000 * 1.1 * 0.9 * 1.1 * 0.9, 9);
    expect(a.finalEquity.p95).toBeCloseTo(a.finalEquity.p5, 9);
    // Worst order: both losses first → 1 − 0.9² = 19%; best: alternating → 10%.
    expect(a.maxDrawdownPct.p95).toBeCloseTo(19, 6);
    expect(a.maxDrawdownPct.p5).toBeCloseTo(10, 6);
    expect(a.longestLosingStreak.p95).toBe(2);
    expect(a.fan.length).toBe(5);
    expect(monteCarlo({ trades, startEquity: 1000, method: 'shuffle', runs: 500, seed: 5 })).toEqual(a);
    expect(a.probabilityOfRuin, 'never halves').toBe(0);
  });
  it('bootstrap varies the final equity; probability of ruin counts runs hitting the floor', () => {
    const b = monteCarlo({ trades, startEquity: 1000, method: 'bootstrap', runs: 2000, seed: 1, ruinThreshold: 0.15 });
    expect(b.finalEquity.p95).toBeGreaterThan(b.finalEquity.p5);
    // Ruin at −15%: needs at least two more losses than wins in some prefix; some runs do.
    expect(b.probabilityOfRuin).toBeGreaterThan(0);
    expect(b.probabilityOfRuin).toBeLessThan(1);
    const none = monteCarlo({ trades: [], startEquity: 1000, method: 'bootstrap', runs: 10 });
    expect(none.finalEquity).toEqual({ p5: 1000, p50: 1000, p95: 1000 });
    expect(() => monteCarlo({ trades, startEquity: 1000, method: 'shuffle', runs: 0 })).toThrow(ResearchConfigError);
  });
  it('percentile interpolates between ranks', () => {
    expect(percentile([1, 2, 3, 4, 5], 50)).toBe(3);
    expect(percentile([0, 10], 5)).toBeCloseTo(0.5, 12);
  });
});

describe('sensitivity', () => {
  // A hand-written evaluator: profit peaks at fast = 10 and drops to 10% one step away (a cliff) in that direction only.
  const fake: Evaluator = {
    evaluate: async (sets) =>
      sets.map((s) => {
        const f = s.fast as number;
        const slow = s.slow as number;
        if (f >= slow) return null;
        const netProfit = f === 10 ? 100 : f === 11 ? 10 : 90 - Math.abs(f - 10) - Math.abs(slow - 40) / 10;
        return { netProfit, returnPct: 0, maxDrawdownPct: 0, trades: 0, winRate: 0, profitFactor: 0, sharpe: 0, fees: 0 } satisfies SetScore;
      }),
    close: async () => {},
  };
  it('reports changes around the optimum, flags a cliff, builds a heatmap', async () => {
    const space = paramSpace(def, { fast: { min: 5, max: 15 }, slow: { min: 30, max: 50, step: 5 } });
    const res = await sensitivity({ space, evaluator: fake, best: { kind: 'ema', fast: 10, slow: 40 }, objective: 'netProfit', radius: 2 });
    expect(res.base).toBe(100);
    const fast = res.params.find((p) => p.param === 'fast');
    expect(fast?.points.map((p) => p.value)).toEqual([8, 9, 10, 11, 12]);
    expect(fast?.points[3]?.changePct).toBeCloseTo(-90, 9);
    expect(fast?.worstNeighbourDrop).toBeCloseTo(0.9, 9);
    expect(fast?.cliff).toBe(true);
    expect(res.params.find((p) => p.param === 'slow')?.cliff, 'slow moves the profit by 0.5 per step').toBe(false);
    expect(res.onCliff).toBe(true);
    const hm = res.heatmaps[0];
    expect(hm?.x).toBe('fast');
    expect(hm?.metric.length).toBe(hm?.yValues.length);
    expect(hm?.metric[hm.yValues.indexOf(40)]?.[hm.xValues.indexOf(10)]).toBe(100);
  });
});

describe('walk-forward', () => {
  let series: SeriesData[];
  beforeAll(async () => {
    series = await loadSeries({ dataDir: DATA_DIR, symbols: ['BTC/USDT'], timeframe: '1h', from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 3, 1) });
  });
  const search = () => ({ method: 'grid' as const, space: paramSpace(def, { fast: { min: 5, max: 20, step: 5 }, slow: { min: 30, max: 60, step: 10 } }), objectives: ['netProfit' as const] });
  it('rolling windows: optimize in-sample, test out-of-sample, stitch', async () => {
    const n = (series[0] as SeriesData).length;
    const res = await walkForward({ definition: def, series, evaluator: createLocalEvaluator({ definition: def, series }), search: search(), inSample: 800, outOfSample: 300 });
    expect(res.windows.length).toBe(Math.floor((n - 800) / 300));
    for (const w of res.windows) {
      expect(w.inSample.to, 'OOS starts where IS ends').toBe(w.outOfSample.from);
      expect(w.inSample.candles).toBe(800);
      for (const t of res.outOfSampleTrades) expect(t.entryTime >= (res.windows[0] as typeof w).outOfSample.from).toBe(true);
    }
    expect(res.stitched.length).toBe(res.windows.length * 300);
    expect(Number.isFinite(res.efficiency)).toBe(true);
    const anchored = await walkForward({ definition: def, series, evaluator: createLocalEvaluator({ definition: def, series }), search: search(), inSample: 800, outOfSample: 300, mode: 'anchored' });
    expect(anchored.windows[1]?.inSample.candles).toBe(1100);
  });
  it('a window longer than the data fails naming it', async () => {
    const err = await walkForward({ definition: def, series, evaluator: createLocalEvaluator({ definition: def, series }), search: search(), inSample: 5000, outOfSample: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResearchConfigError);
    expect((err as ResearchConfigError).key).toBe('inSample');
  });
});

describe('lookahead check', () => {
  let btc: SeriesData;
  beforeAll(async () => {
    [btc] = (await loadSeries({ dataDir: DATA_DIR, symbols: ['BTC/USDT'], timeframe: '1h', to: Date.UTC(2024, 2, 1) })) as [SeriesData];
  });
  it('flags a planted strategy that reads the next candle', () => {
    const peeking = {
      id: 'peek',
      create(candles: readonly Candle[]): Strategy {
        return {
          id: 'peek',
          warmup: 2,
          indicators: {},
          decide(view) {
            // The cheat: the candle after the current one, from the data it was built with.
            const next = candles[view.length];
            if (!next) return null;
            return { symbol: view.symbol, time: view.time, direction: next.close > (view.candle(0) as Candle).close ? 'buy' : 'sell', strength: 0.5, confidence: 0.5, source: 'peek', reason: 'peeked' };
          },
        };
      },
    };
    const r = lookaheadCheck({ subject: peeking, series: btc });
    expect(r.passed).toBe(false);
    expect(r.differences[0]?.kind).toBe('signal');
    expect(r.differences[0]?.index, 'the last candle of a truncated run is where the peek fails').toBe((r.differences[0]?.cut as number) - 1);
  });
  it('every built-in strategy passes', () => {
    const reg = builtinStrategies();
    for (const d of reg.list()) {
      const strategy = d.create(d.params.parse({}));
      const r = lookaheadCheck({ subject: { id: d.id, create: () => strategy }, series: btc, cuts: 4 });
      expect(r.differences, d.id).toEqual([]);
      expect(r.passed).toBe(true);
      expect(r.recursion.length).toBe(Object.keys(strategy.indicators).length);
    }
  });
});

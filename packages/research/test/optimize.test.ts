import { builtinStrategies } from '@kairos/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ResearchConfigError, type SeriesData, createLocalEvaluator, createWorkerEvaluator, dominates, loadSeries, optimize, paramSpace, scoreSets } from '../src';
import { DATA_DIR } from './helpers';

const def = builtinStrategies().get('ma-cross');
const FROM = Date.UTC(2024, 0, 1);
const TO = Date.UTC(2024, 4, 1);

describe('parameter spaces', () => {
  it('bad ranges fail with a typed error naming the parameter', () => {
    const bad = (ranges: Parameters<typeof paramSpace>[1], param: string, fixed = {}) => {
      let err: unknown;
      try {
        paramSpace(def, ranges, fixed);
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(ranges)).toBeInstanceOf(ResearchConfigError);
      expect((err as ResearchConfigError).param).toBe(param);
      expect((err as Error).message).toContain(param);
      expect((err as ResearchConfigError).code).toBe('CONFIG_INVALID');
    };
    bad({ fast: { min: 30, max: 10 } }, 'fast');
    bad({ slow: { min: 10, max: 50, step: 0 } }, 'slow');
    bad({ nope: { min: 1, max: 2 } }, 'nope');
    bad({ fast: { min: 1, max: 10 } }, 'fast'); // schema minimum is 2
    bad({ kind: { values: ['wma'] } }, 'kind');
    bad({ fast: { min: 2, max: 10, step: 0.5 } }, 'fast'); // integer parameter
    bad({}, 'unknownFixed', { unknownFixed: 1 });
  });
  it('builds grids from ranges and lists', () => {
    const s = paramSpace(def, { fast: { min: 5, max: 20, step: 5 }, kind: { values: ['sma', 'ema'] } });
    expect(s.size).toBe(8);
    expect(s.dimensions[0]?.values).toEqual([5, 10, 15, 20]);
  });
});

describe('optimizers', () => {
  let series: SeriesData[];
  beforeAll(async () => {
    series = await loadSeries({ dataDir: DATA_DIR, symbols: ['BTC/USDT', 'ETH/USDT'], timeframe: '1h', from: FROM, to: TO });
  });
  const space = () => paramSpace(def, { kind: { values: ['sma', 'ema'] }, fast: { min: 3, max: 40 }, slow: { min: 10, max: 150, step: 2 } });

  it('grid finds the best set of a small grid and skips sets the schema refuses', async () => {
    const small = paramSpace(def, { fast: { min: 5, max: 30, step: 5 }, slow: { min: 10, max: 60, step: 10 } });
    const res = await optimize({ method: 'grid', space: small, evaluator: createLocalEvaluator({ definition: def, series }), objectives: ['netProfit'] });
    // 6 × 6 grid, minus the 9 sets with fast ≥ slow (10/10, 15/10, 20/≤20, 25/≤20, 30/≤30)
    expect(res.evaluations).toBe(27);
    const direct = scoreSets({ definition: def, series }, res.ranked.map((r) => r.params));
    const bestDirect = Math.max(...direct.map((s) => s?.netProfit ?? -Infinity));
    expect(res.best?.score.netProfit).toBe(bestDirect);
    expect(res.ranked.every((r) => (r.params.fast as number) < (r.params.slow as number))).toBe(true);
  });

  it('genetic: same seed → same result; another seed differs', async () => {
    const run = (seed: number) => optimize({ method: 'genetic', space: space(), evaluator: createLocalEvaluator({ definition: def, series }), objectives: ['sharpe'], seed, population: 16, generations: 5 });
    const a = await run(7);
    const b = await run(7);
    const c = await run(8);
    expect(a.ranked.map((r) => r.params)).toEqual(b.ranked.map((r) => r.params));
    expect(a.best).toEqual(b.best);
    expect(c.ranked.map((r) => r.params), 'a different seed explores differently').not.toEqual(a.ranked.map((r) => r.params));
    // Elitism: the best found never gets worse than the best of the first population.
    expect(a.best?.score.sharpe).toBe(Math.max(...a.ranked.map((r) => r.score.sharpe)));
  });

  it('NSGA-II returns a non-dominated Pareto front over return, drawdown and trade count', async () => {
    const res = await optimize({ method: 'nsga2', space: space(), evaluator: createLocalEvaluator({ definition: def, series }), objectives: ['returnPct', 'maxDrawdownPct', 'fewTrades'], seed: 3, population: 16, generations: 4 });
    expect(res.pareto.length).toBeGreaterThan(1);
    const signed = (e: (typeof res.pareto)[number]) => [e.objectives[0] as number, -(e.objectives[1] as number), -(e.objectives[2] as number)];
    for (const p of res.pareto) for (const q of res.ranked) expect(dominates(signed(q), signed(p)), 'nothing evaluated beats a front member').toBe(false);
    const again = await optimize({ method: 'nsga2', space: space(), evaluator: createLocalEvaluator({ definition: def, series }), objectives: ['returnPct', 'maxDrawdownPct', 'fewTrades'], seed: 3, population: 16, generations: 4 });
    expect(again.pareto.map((p) => p.params)).toEqual(res.pareto.map((p) => p.params));
  });

  it('worker threads give the same scores as this thread', async () => {
    const sets = [
      { kind: 'ema', fast: 8, slow: 30 },
      { kind: 'sma', fast: 12, slow: 50 },
      { kind: 'ema', fast: 30, slow: 20 },
    ];
    const pool = createWorkerEvaluator({ strategyId: 'ma-cross', load: { dataDir: DATA_DIR, symbols: ['BTC/USDT', 'ETH/USDT'], timeframe: '1h', from: FROM, to: TO }, workers: 2 });
    try {
      const remote = await pool.evaluate(sets);
      expect(remote).toEqual(scoreSets({ definition: def, series }, sets));
      expect(remote[2], 'fast ≥ slow is refused').toBeNull();
    } finally {
      await pool.close();
    }
  });
});

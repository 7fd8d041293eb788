import { type StrategyDefinition, type Trade, parseStrategyParams } from '@kairos/core';
import type { Evaluator } from '../optimize/evaluator';
import { type OptimizeOptions, optimize } from '../optimize/optimize';
import { type SetScore, scoreOutcomes } from '../optimize/objectives';
import { ResearchConfigError } from '../optimize/research-error';
import { DEFAULT_FILL, type SweepFillConfig } from '../sweep/fill-model';
import type { SeriesData } from '../sweep/series-data';
import { signalsFor } from '../sweep/run-sweep';
import { simulateLong } from '../sweep/simulate-long';

export interface WalkForwardOptions {
  readonly definition: StrategyDefinition;
  readonly series: readonly SeriesData[];
  readonly evaluator: Evaluator;
  /** How each in-sample part is optimized (space, objectives, method, seed…). */
  readonly search: Omit<OptimizeOptions, 'evaluator' | 'window' | 'onProgress'>;
  /** Candles per in-sample part and per out-of-sample part (of the first series). */
  readonly inSample: number;
  readonly outOfSample: number;
  /** 'rolling' (default): in-sample windows slide; 'anchored': they all start at the first candle. */
  readonly mode?: 'rolling' | 'anchored';
  readonly fill?: Partial<SweepFillConfig>;
  readonly onWindow?: (done: number, total: number) => void;
}

export interface WalkForwardWindow {
  readonly index: number;
  readonly inSample: { readonly from: number; readonly to: number; readonly candles: number };
  readonly outOfSample: { readonly from: number; readonly to: number; readonly candles: number };
  readonly params: Readonly<Record<string, unknown>>;
  readonly inSampleScore: SetScore;
  readonly outOfSampleScore: SetScore;
  /** Out-of-sample return per candle over in-sample return per candle (0 when in-sample did not profit). */
  readonly efficiency: number;
}

export interface WalkForwardResult {
  readonly mode: 'rolling' | 'anchored';
  readonly windows: readonly WalkForwardWindow[];
  /** Out-of-sample equity of all windows chained (each window's growth compounded), with times. */
  readonly stitched: ReadonlyArray<{ time: number; equity: number }>;
  readonly stitchedReturnPct: number;
  /** Walk-forward efficiency: Σ OOS return per candle / Σ IS return per candle, over windows. */
  readonly efficiency: number;
  readonly outOfSampleTrades: readonly Trade[];
}

/**
 * Walk-forward analysis: optimize on each in-sample part, then trade the winner on the
 * following out-of-sample part. The out-of-sample run sees the in-sample candles for
 * its indicators' warm-up but trades only from the out-of-sample start, so no window
 * trades on data it was optimized on.
 */
export async function walkForward(o: WalkForwardOptions): Promise<WalkForwardResult> {
  const mode = o.mode ?? 'rolling';
  const first = o.series[0];
  if (!first) throw new ResearchConfigError('symbols', 'walk-forward needs at least one series');
  const n = first.length;
  for (const [k, v] of [['inSample', o.inSample], ['outOfSample', o.outOfSample]] as const) {
    if (!(Number.isInteger(v) && v > 0)) throw new ResearchConfigError(k, `must be a positive whole number of candles, got ${v}`);
  }
  if (o.inSample + o.outOfSample > n) {
    throw new ResearchConfigError('inSample', `in-sample ${o.inSample} + out-of-sample ${o.outOfSample} candles is longer than the data (${n} candles of ${first.symbol})`);
  }
  const fill = { ...DEFAULT_FILL, ...o.fill };
  const t = first.columns.time;
  const tf = first.columns.timeframeMs;
  const timeAt = (i: number) => (i < n ? (t[i] as number) : (t[n - 1] as number) + tf);
  const starts: number[] = [];
  for (let s = o.inSample; s + o.outOfSample <= n; s += o.outOfSample) starts.push(s);
  const windows: WalkForwardWindow[] = [];
  const stitched: Array<{ time: number; equity: number }> = [];
  const trades: Trade[] = [];
  let level = fill.initialCash;
  let isSum = 0;
  let oosSum = 0;
  for (let w = 0; w < starts.length; w++) {
    const oosStart = starts[w] as number;
    const isStart = mode === 'anchored' ? 0 : oosStart - o.inSample;
    const oosEnd = oosStart + o.outOfSample;
    const isWin = { from: timeAt(isStart), to: timeAt(oosStart) };
    const oosWin = { from: timeAt(oosStart), to: timeAt(oosEnd) };
    const res = await optimize({ ...o.search, evaluator: o.evaluator, window: isWin });
    if (!res.best) throw new ResearchConfigError('ranges', `window ${w}: no valid parameter set in the space`);
    const params = parseStrategyParams(o.definition, res.best.params) as Record<string, unknown>;
    // Out of sample: warm up on the in-sample candles, trade only from the OOS start.
    const outcomes = o.series.map((s) => {
      const a = lowerBound(s.columns.time, isWin.from);
      const b = lowerBound(s.columns.time, oosWin.to);
      const oosAt = lowerBound(s.columns.time, oosWin.from) - a;
      const cut = s.slice(a, b);
      const buf = new Int8Array(cut.length);
      const warmup = signalsFor(o.definition, params, cut, buf);
      return { out: simulateLong(cut.columns, buf, fill, Math.max(warmup - 1, oosAt), true), cut, oosAt };
    });
    const oosScore = scoreOutcomes(outcomes.map((x) => x.out), fill.initialCash, tf);
    // Stitch: the mean growth of the symbols' accounts over the OOS candles, compounded across windows.
    const base = level;
    const ref = outcomes[0] as (typeof outcomes)[number];
    const eqs = outcomes.map((x) => x.out.equity as Float64Array);
    for (let i = ref.oosAt; i < ref.cut.length; i++) {
      let g = 0;
      for (let k = 0; k < eqs.length; k++) {
        const e = eqs[k] as Float64Array;
        const at = Math.min(e.length - 1, i - ref.oosAt + (outcomes[k] as (typeof outcomes)[number]).oosAt);
        g += (e[at] as number) / fill.initialCash;
      }
      level = base * (g / eqs.length);
      stitched.push({ time: (ref.cut.columns.time[i] as number) + tf, equity: level });
    }
    for (const x of outcomes) trades.push(...(x.out.tradeList ?? []));
    const isPer = res.best.score.returnPct / (oosStart - isStart);
    const oosPer = oosScore.returnPct / o.outOfSample;
    isSum += isPer;
    oosSum += oosPer;
    windows.push({
      index: w,
      inSample: { ...isWin, candles: oosStart - isStart },
      outOfSample: { ...oosWin, candles: o.outOfSample },
      params,
      inSampleScore: res.best.score,
      outOfSampleScore: oosScore,
      efficiency: isPer > 0 ? oosPer / isPer : 0,
    });
    o.onWindow?.(w + 1, starts.length);
  }
  return {
    mode,
    windows,
    stitched,
    stitchedReturnPct: (level / fill.initialCash - 1) * 100,
    efficiency: isSum > 0 ? oosSum / isSum : 0,
    outOfSampleTrades: trades,
  };
}

function lowerBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((a[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

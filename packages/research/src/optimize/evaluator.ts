import type { StrategyDefinition } from '@kairos/core';
import { DEFAULT_FILL, type SweepFillConfig } from '../sweep/fill-model';
import { runSweep } from '../sweep/run-sweep';
import type { SeriesData } from '../sweep/series-data';
import { type SetScore, scoreOutcomes } from './objectives';
import { isValidPoint } from './param-space';

/** A time range [from, to) of candle open times, ms. */
export interface TimeWindow {
  readonly from: number;
  readonly to: number;
}

/** Scores parameter sets; `null` for a set the strategy's schema refuses (e.g. fast ≥ slow). */
export interface Evaluator {
  /** Scores `sets`, on the candles inside `window` only when one is given. */
  evaluate(sets: readonly Readonly<Record<string, unknown>>[], window?: TimeWindow): Promise<Array<SetScore | null>>;
  /** Releases workers, if any. */
  close(): Promise<void>;
}

export interface LocalEvaluatorOptions {
  readonly definition: StrategyDefinition;
  readonly series: readonly SeriesData[];
  readonly fill?: Partial<SweepFillConfig>;
}

/** Scores sets on this thread with the fast sweep path. */
export function scoreSets(opts: LocalEvaluatorOptions, sets: readonly Readonly<Record<string, unknown>>[]): Array<SetScore | null> {
  const fill = { ...DEFAULT_FILL, ...opts.fill };
  const valid: number[] = [];
  sets.forEach((s, i) => {
    if (isValidPoint(opts.definition, s)) valid.push(i);
  });
  const out: Array<SetScore | null> = sets.map(() => null);
  if (valid.length === 0 || opts.series.length === 0) return out;
  const rows = runSweep({ definition: opts.definition, series: opts.series, paramSets: valid.map((i) => sets[i] as Record<string, unknown>), fill });
  const per = opts.series.length;
  const tf = (opts.series[0] as SeriesData).columns.timeframeMs;
  for (let k = 0; k < valid.length; k++) {
    out[valid[k] as number] = scoreOutcomes(rows.slice(k * per, (k + 1) * per).map((r) => r.outcome), fill.initialCash, tf);
  }
  return out;
}

/** The series cut to a window (by candle open time), memoised per window. */
export function windowed(series: readonly SeriesData[], window: TimeWindow | undefined, memo: Map<string, SeriesData[]>): readonly SeriesData[] {
  if (!window) return series;
  const key = `${window.from}:${window.to}`;
  let cut = memo.get(key);
  if (!cut) {
    cut = series.map((s) => {
      const t = s.columns.time;
      let a = 0;
      while (a < t.length && (t[a] as number) < window.from) a++;
      let b = a;
      while (b < t.length && (t[b] as number) < window.to) b++;
      return s.slice(a, b);
    });
    // Few windows are live at once (walk-forward moves forward); keep memory bounded.
    if (memo.size > 8) memo.clear();
    memo.set(key, cut);
  }
  return cut;
}

/** An evaluator on the calling thread. */
export function createLocalEvaluator(opts: LocalEvaluatorOptions): Evaluator {
  const memo = new Map<string, SeriesData[]>();
  return {
    evaluate: async (sets, window) => scoreSets({ ...opts, series: windowed(opts.series, window, memo) }, sets),
    close: async () => {},
  };
}

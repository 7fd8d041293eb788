import type { Candle, Strategy } from '@kairos/core';
import { getIndicator } from '@kairos/indicators-gpu';
import { ResearchConfigError } from '../optimize/research-error';
import type { SeriesData } from '../sweep/series-data';
import { strategySignals } from '../sweep/signal-source';

/**
 * What the check runs: a strategy built from the candles it is given. Built-in
 * strategies ignore them; a strategy that precomputes anything over "its data" (the
 * pandas habit) gets only the truncated candles in a truncated run, which is how
 * peeking at later candles shows up.
 */
export interface LookaheadSubject {
  readonly id: string;
  create(candles: readonly Candle[]): Strategy;
}

export interface LookaheadDifference {
  readonly kind: 'signal' | 'indicator';
  /** Candles kept in the truncated run. */
  readonly cut: number;
  readonly index: number;
  readonly time: number;
  /** Indicator key (for indicator differences). */
  readonly name?: string;
  readonly full: number;
  readonly truncated: number;
}

export interface RecursionFinding {
  readonly name: string;
  /** Candles dropped from the start in the second run. */
  readonly offset: number;
  /** Largest relative difference of the indicator on common candles, after its warm-up. */
  readonly maxRelDiff: number;
}

export interface LookaheadReport {
  readonly strategyId: string;
  readonly symbol: string;
  readonly cuts: readonly number[];
  /** True when no signal or indicator changed between full and truncated data. */
  readonly passed: boolean;
  readonly differences: readonly LookaheadDifference[];
  readonly signalsCompared: number;
  /** Informational: how much recursive indicators (EMA-like) depend on where the data starts. */
  readonly recursion: readonly RecursionFinding[];
}

export interface LookaheadOptions {
  readonly subject: LookaheadSubject;
  readonly series: SeriesData;
  /** Number of truncation points (default 8). */
  readonly cuts?: number;
  /** Relative tolerance for indicator values (default 1e-9). */
  readonly tolerance?: number;
  /** Candles dropped for the recursion comparison (default 300). */
  readonly recursionOffset?: number;
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-12, Math.abs(a), Math.abs(b));

/**
 * Lookahead analysis (after freqtrade's): runs the strategy on the full series and on
 * series truncated at several points, and compares every signal and declared indicator
 * value on the candles both runs saw. A causal strategy cannot tell the difference; any
 * difference means something read data from after the candle it decided on.
 */
export function lookaheadCheck(o: LookaheadOptions): LookaheadReport {
  const s = o.series;
  const n = s.length;
  const tol = o.tolerance ?? 1e-9;
  const full = o.subject.create(s.candles);
  if (n < full.warmup + 20) throw new ResearchConfigError('data', `${n} candles of ${s.symbol} are too few for a lookahead check of ${o.subject.id} (warm-up ${full.warmup})`);
  const fullSig = new Int8Array(n);
  strategySignals(full, s, fullSig);
  const count = o.cuts ?? 8;
  const lo = full.warmup + 10;
  const cuts = Array.from({ length: count }, (_, k) => Math.round(lo + ((n - 1 - lo) * (k + 1)) / (count + 1)));
  const differences: LookaheadDifference[] = [];
  let compared = 0;
  for (const cut of cuts) {
    const part = s.slice(0, cut);
    const strat = o.subject.create(part.candles);
    const sig = new Int8Array(cut);
    strategySignals(strat, part, sig);
    for (let i = 0; i < cut; i++) {
      compared += 1;
      if (sig[i] !== fullSig[i]) {
        differences.push({ kind: 'signal', cut, index: i, time: s.candles[i]?.time ?? 0, full: fullSig[i] as number, truncated: sig[i] as number });
      }
    }
    for (const [key, req] of Object.entries(strat.indicators)) {
      const a = s.indicator(req.indicator, req.params ?? {}, req.output);
      const b = part.indicator(req.indicator, req.params ?? {}, req.output);
      for (let i = 0; i < cut; i++) {
        const x = a[i] as number;
        const y = b[i] as number;
        const same = (Number.isNaN(x) && Number.isNaN(y)) || x === y || rel(x, y) <= tol;
        if (!same) {
          differences.push({ kind: 'indicator', cut, index: i, time: s.candles[i]?.time ?? 0, name: key, full: x, truncated: y });
          break;
        }
      }
    }
  }
  const offset = Math.min(o.recursionOffset ?? 300, Math.floor(n / 2));
  const later = s.slice(offset, n);
  const recursion: RecursionFinding[] = [];
  for (const [key, req] of Object.entries(full.indicators)) {
    const ind = getIndicator(req.indicator);
    const warm = ind.spec.warmup(ind.parseParams(req.params as never));
    const a = s.indicator(req.indicator, req.params ?? {}, req.output);
    const b = later.indicator(req.indicator, req.params ?? {}, req.output);
    let worst = 0;
    for (let i = warm; i < b.length; i++) {
      const x = a[i + offset] as number;
      const y = b[i] as number;
      if (Number.isFinite(x) && Number.isFinite(y)) worst = Math.max(worst, rel(x, y));
    }
    recursion.push({ name: key, offset, maxRelDiff: worst });
  }
  return { strategyId: o.subject.id, symbol: s.symbol, cuts, passed: differences.length === 0, differences: differences.slice(0, 100), signalsCompared: compared, recursion };
}

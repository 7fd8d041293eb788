import type { Trade } from '@kairos/core';
import { ResearchConfigError } from '../optimize/research-error';
import { createRng } from '../optimize/rng';

export interface MonteCarloOptions {
  readonly trades: readonly Trade[];
  readonly startEquity: number;
  /** 'shuffle' permutes the trade order; 'bootstrap' draws trades with replacement. */
  readonly method: 'shuffle' | 'bootstrap';
  /** Number of simulated sequences (default 1000). */
  readonly runs?: number;
  readonly seed?: number;
  /** Ruin: equity falling to (1 − ruinThreshold) × start at any point, e.g. 0.5 = half lost (default 0.5). */
  readonly ruinThreshold?: number;
}

export interface Percentiles {
  readonly p5: number;
  readonly p50: number;
  readonly p95: number;
}

export interface MonteCarloResult {
  readonly method: 'shuffle' | 'bootstrap';
  readonly runs: number;
  readonly seed: number;
  readonly trades: number;
  readonly finalEquity: Percentiles;
  readonly maxDrawdownPct: Percentiles;
  readonly longestLosingStreak: Percentiles;
  readonly ruinThreshold: number;
  /** Share of runs that hit the ruin level, 0–1. */
  readonly probabilityOfRuin: number;
  /** Equity percentiles (5, 25, 50, 75, 95) after each trade, for fan charts; index 0 = start. */
  readonly fan: ReadonlyArray<readonly [number, number, number, number, number]>;
}

/** Percentile by linear interpolation between closest ranks (sorted input). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const x = (p / 100) * (n - 1);
  const lo = Math.floor(x);
  const hi = Math.min(n - 1, lo + 1);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (x - lo);
}

/**
 * Monte Carlo over a trade list. Each trade becomes a return on the equity it was taken
 * with (`pnl / equity before it`, replaying the original order), and each simulated
 * sequence compounds those returns in a new order. Shuffling keeps the final equity (a
 * product does not care about order) and shows how much drawdown and losing streaks
 * owed to luck of order; bootstrapping also varies the final equity. Seeded.
 */
export function monteCarlo(o: MonteCarloOptions): MonteCarloResult {
  const runs = o.runs ?? 1000;
  const seed = o.seed ?? 1;
  const ruin = o.ruinThreshold ?? 0.5;
  if (!(Number.isInteger(runs) && runs >= 1 && runs <= 1_000_000)) throw new ResearchConfigError('runs', `must be a whole number in [1, 1000000], got ${runs}`);
  if (!(ruin > 0 && ruin <= 1)) throw new ResearchConfigError('ruinThreshold', `must be in (0, 1], got ${ruin}`);
  if (!(o.startEquity > 0)) throw new ResearchConfigError('startEquity', `must be positive, got ${o.startEquity}`);
  const ordered = [...o.trades].sort((a, b) => a.exitTime - b.exitTime);
  const n = ordered.length;
  const r = new Float64Array(n);
  let eq = o.startEquity;
  for (let i = 0; i < n; i++) {
    const t = ordered[i] as Trade;
    r[i] = eq > 0 ? t.pnl / eq : 0;
    eq += t.pnl;
  }
  const rng = createRng(seed);
  const finals = new Float64Array(runs);
  const dds = new Float64Array(runs);
  const streaks = new Float64Array(runs);
  const paths = Array.from({ length: n + 1 }, () => new Float64Array(runs));
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  const floor = o.startEquity * (1 - ruin);
  let ruined = 0;
  for (let k = 0; k < runs; k++) {
    if (o.method === 'shuffle') {
      for (let i = n - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        const tmp = idx[i] as number;
        idx[i] = idx[j] as number;
        idx[j] = tmp;
      }
    } else for (let i = 0; i < n; i++) idx[i] = rng.int(n);
    let e = o.startEquity;
    let peak = e;
    let dd = 0;
    let streak = 0;
    let longest = 0;
    let hit = false;
    (paths[0] as Float64Array)[k] = e;
    for (let i = 0; i < n; i++) {
      const ret = r[idx[i] as number] as number;
      e *= 1 + ret;
      if (e > peak) peak = e;
      else if (peak > 0) dd = Math.max(dd, (peak - e) / peak);
      streak = ret < 0 ? streak + 1 : 0;
      if (streak > longest) longest = streak;
      if (e <= floor) hit = true;
      (paths[i + 1] as Float64Array)[k] = e;
    }
    finals[k] = e;
    dds[k] = dd * 100;
    streaks[k] = longest;
    if (hit) ruined += 1;
  }
  const pct = (a: Float64Array): Percentiles => {
    const s = Float64Array.from(a).sort();
    return { p5: percentile(s, 5), p50: percentile(s, 50), p95: percentile(s, 95) };
  };
  const fan = paths.map((p) => {
    const s = p.sort();
    return [percentile(s, 5), percentile(s, 25), percentile(s, 50), percentile(s, 75), percentile(s, 95)] as const;
  });
  return {
    method: o.method,
    runs,
    seed,
    trades: n,
    finalEquity: pct(finals),
    maxDrawdownPct: pct(dds),
    longestLosingStreak: pct(streaks),
    ruinThreshold: ruin,
    probabilityOfRuin: ruined / runs,
    fan,
  };
}

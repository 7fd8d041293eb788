import type { EquityPoint } from '../events/event-map';

/** Milliseconds in a year of 365.25 days: crypto trades every day, so no 252-day year. */
export const YEAR_MS = 365.25 * 24 * 3600 * 1000;

/** Simple per-sample returns `e[t]/e[t-1] − 1` of an equity curve (samples at equity ≤ 0 are skipped). */
export function periodReturns(curve: readonly EquityPoint[]): Float64Array {
  const out: number[] = [];
  for (let i = 1; i < curve.length; i++) {
    const prev = (curve[i - 1] as EquityPoint).equity;
    if (prev > 0) out.push((curve[i] as EquityPoint).equity / prev - 1);
  }
  return Float64Array.from(out);
}

/**
 * Samples per year of a curve, from the median spacing of its samples (a 1h curve gives
 * 8766). 0 for fewer than two samples.
 */
export function periodsPerYear(curve: readonly EquityPoint[]): number {
  if (curve.length < 2) return 0;
  const gaps: number[] = [];
  for (let i = 1; i < curve.length; i++) gaps.push((curve[i] as EquityPoint).time - (curve[i - 1] as EquityPoint).time);
  gaps.sort((a, b) => a - b);
  const median = gaps[Math.floor(gaps.length / 2)] as number;
  return median > 0 ? YEAR_MS / median : 0;
}

/** Arithmetic mean; 0 for no values. */
export function mean(xs: ArrayLike<number>): number {
  if (xs.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] as number;
  return s / xs.length;
}

/** Sample standard deviation (n − 1); 0 for fewer than two values. */
export function stdev(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n < 2) return 0;
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < n; i++) s += ((xs[i] as number) - m) ** 2;
  return Math.sqrt(s / (n - 1));
}

/**
 * Annualised Sharpe ratio: `mean(r − rf) / stdev(r) × √P`, r the per-sample returns,
 * rf the per-sample risk-free rate (`riskFreeAnnual / P`), P the samples per year.
 * 0 when the returns do not vary.
 */
export function sharpeRatio(returns: ArrayLike<number>, perYear: number, riskFreeAnnual = 0): number {
  const sd = stdev(returns);
  if (!(sd > 0) || !(perYear > 0)) return 0;
  return ((mean(returns) - riskFreeAnnual / perYear) / sd) * Math.sqrt(perYear);
}

/**
 * Annualised Sortino ratio: `mean(r − rf) / DD × √P` with the downside deviation
 * `DD = √(Σ min(0, r − rf)² / n)` over all n samples. `null` when nothing fell below
 * rf but the mean is positive (infinite); 0 when flat.
 */
export function sortinoRatio(returns: ArrayLike<number>, perYear: number, riskFreeAnnual = 0): number | null {
  const n = returns.length;
  if (n === 0 || !(perYear > 0)) return 0;
  const rf = riskFreeAnnual / perYear;
  let down = 0;
  for (let i = 0; i < n; i++) {
    const x = Math.min(0, (returns[i] as number) - rf);
    down += x * x;
  }
  const dd = Math.sqrt(down / n);
  const excess = mean(returns) - rf;
  if (!(dd > 0)) return excess > 0 ? null : 0;
  return (excess / dd) * Math.sqrt(perYear);
}

/**
 * Compound annual growth rate in percent: `(end/start)^(1/years) − 1`, years measured
 * in 365.25-day years between the first and last sample. 0 for a zero-length period,
 * −100 when equity ended at or below zero.
 */
export function cagrPct(startEquity: number, endEquity: number, spanMs: number): number {
  if (!(startEquity > 0) || !(spanMs > 0)) return 0;
  if (!(endEquity > 0)) return -100;
  return ((endEquity / startEquity) ** (YEAR_MS / spanMs) - 1) * 100;
}

/** Calmar ratio: CAGR % / max drawdown %. `null` (infinite) with no drawdown and a positive CAGR. */
export function calmarRatio(cagr: number, maxDrawdownPct: number): number | null {
  if (maxDrawdownPct > 0) return cagr / maxDrawdownPct;
  return cagr > 0 ? null : 0;
}

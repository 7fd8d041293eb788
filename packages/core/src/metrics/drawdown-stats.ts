import type { EquityPoint } from '../events/event-map';

/** Drawdown of an equity curve, measured on equity (marked to market), never on trade sums. */
export interface DrawdownDetail {
  /** Largest peak-to-trough fall, in quote units (the fall of the deepest drawdown in %). */
  readonly maxDrawdown: number;
  /** That fall relative to its peak, percent (0–100). */
  readonly maxDrawdownPct: number;
  /** Time of the peak the deepest drawdown started from; undefined when there was none. */
  readonly start: number | undefined;
  /** Time of its trough. */
  readonly end: number | undefined;
  /** First time equity regained the peak after the trough; undefined if it never did. */
  readonly recovery: number | undefined;
  /** Peak to recovery (or to the last sample when not recovered), ms. */
  readonly duration: number;
  /** Longest stretch spent below a previous peak, ms. */
  readonly longestUnderWater: number;
  /** Share of the curve's time spent below a previous peak, percent. */
  readonly timeUnderWaterPct: number;
}

const NONE: DrawdownDetail = { maxDrawdown: 0, maxDrawdownPct: 0, start: undefined, end: undefined, recovery: undefined, duration: 0, longestUnderWater: 0, timeUnderWaterPct: 0 };

/**
 * Drawdown statistics of an equity curve. The deepest drawdown is chosen by percent
 * (as {@link maxDrawdown} does). Time under water accrues between consecutive samples
 * while the earlier one sits below the running peak.
 */
export function drawdownStats(curve: readonly EquityPoint[]): DrawdownDetail {
  if (curve.length === 0) return NONE;
  let peak = Number.NEGATIVE_INFINITY;
  let peakTime = 0;
  let best = { dd: 0, pct: 0, start: Number.NaN, end: Number.NaN, peak: 0 };
  let under = 0;
  let stretchStart = Number.NaN;
  let longest = 0;
  const first = (curve[0] as EquityPoint).time;
  const last = (curve[curve.length - 1] as EquityPoint).time;
  for (let i = 0; i < curve.length; i++) {
    const p = curve[i] as EquityPoint;
    if (p.equity >= peak) {
      if (!Number.isNaN(stretchStart)) longest = Math.max(longest, p.time - stretchStart);
      stretchStart = Number.NaN;
      if (p.equity > peak || i === 0) {
        peak = p.equity;
        peakTime = p.time;
      }
    } else {
      if (Number.isNaN(stretchStart)) stretchStart = peakTime;
      const pct = peak > 0 ? ((peak - p.equity) / peak) * 100 : 0;
      if (pct > best.pct) best = { dd: peak - p.equity, pct, start: peakTime, end: p.time, peak };
    }
    const next = curve[i + 1];
    if (next && p.equity < peak) under += next.time - p.time;
  }
  if (!Number.isNaN(stretchStart)) longest = Math.max(longest, last - stretchStart);
  const span = last - first;
  const timeUnderWaterPct = span > 0 ? (under / span) * 100 : 0;
  if (Number.isNaN(best.start)) return { ...NONE, longestUnderWater: longest, timeUnderWaterPct };
  let recovery: number | undefined;
  for (const p of curve) {
    if (p.time > best.end && p.equity >= best.peak) {
      recovery = p.time;
      break;
    }
  }
  return {
    maxDrawdown: best.dd,
    maxDrawdownPct: best.pct,
    start: best.start,
    end: best.end,
    recovery,
    duration: (recovery ?? last) - best.start,
    longestUnderWater: longest,
    timeUnderWaterPct,
  };
}

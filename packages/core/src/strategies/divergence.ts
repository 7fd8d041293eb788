import { DescribedSignal, type Signal } from '../domain/signal';
import type { SeriesSignals, SeriesView } from '../ports/strategy';
import type { RsiDivergenceParams } from './rsi-divergence';
import { type SwingPoints, swingPoints } from './swing-points';
import { SeriesSignalList } from './series-signal-list';
import { clamp, fmt, fmtPrice, volatilityColumns, volatilityRatioAt } from './volatility';

export const RSI_DIVERGENCE_ID = 'rsi-divergence';

/** Which swings diverge: lows (bullish) or highs (bearish). */
export type Side = 'low' | 'high';

/**
 * The two swings of a divergence: its side, bars apart, prices and RSI (earlier 0, recent
 * 1), and the RSI level the earlier swing reached past.
 */
export interface Divergence {
  readonly side: Side;
  readonly threshold: number;
  readonly bars: number;
  readonly p0: number;
  readonly p1: number;
  readonly r0: number;
  readonly r1: number;
}

/** RSI levels for volatility ratio `v`: they move away from 50 by √v, clamped to [1, 99]. */
export function thresholdsAt(params: RsiDivergenceParams, v: number): { oversold: number; overbought: number } {
  const k = Math.sqrt(v);
  return { oversold: clamp(50 - (50 - params.oversold) * k, 1, 99), overbought: clamp(50 + (params.overbought - 50) * k, 1, 99) };
}

/** The signal of a divergence (with the threshold it was found against): decide and decideSeries share it. */
export function divergenceSignal(symbol: string, time: number, d: Divergence): Signal {
  if (d.side === 'low') {
    const strength = clamp(0.3 + (d.r1 - d.r0) / 30, 0.05, 1);
    return new DescribedSignal(symbol, time, 'buy', strength, 0.6, RSI_DIVERGENCE_ID, divergenceReason, d);
  }
  const strength = -clamp(0.3 + (d.r0 - d.r1) / 30, 0.05, 1);
  return new DescribedSignal(symbol, time, 'sell', strength, 0.6, RSI_DIVERGENCE_ID, divergenceReason, d);
}

/**
 * The reason of a divergence, written only if someone reads it (most signals are never
 * acted on); the divergence itself is the signal's payload.
 */
function divergenceReason(d: Divergence): string {
  if (d.side === 'low') {
    return `bullish RSI divergence: low ${fmtPrice(d.p1)} < ${fmtPrice(d.p0)} ${d.bars} bars earlier while RSI ${fmt(d.r1, 1)} > ${fmt(d.r0, 1)} (oversold ≤ ${fmt(d.threshold, 1)})`;
  }
  return `bearish RSI divergence: high ${fmtPrice(d.p1)} > ${fmtPrice(d.p0)} ${d.bars} bars earlier while RSI ${fmt(d.r1, 1)} < ${fmt(d.r0, 1)} (overbought ≥ ${fmt(d.threshold, 1)})`;
}

/**
 * The strategy's `decide` for every bar from `from` on of a whole series. A bar can only
 * signal when a swing is confirmed on it, so the work goes swing by swing: for each swing
 * low (then each swing high) the earlier swings of the same side are walked back, nearest
 * first, within `minGap … lookback` bars, exactly as `decide` searches. A bullish
 * divergence on a bar wins over a bearish one, as in `decide`.
 *
 * @param scratch where the swing arrays are kept between calls, to be reused
 */
export function divergenceSeries(params: RsiDivergenceParams, series: SeriesView, from: number, scratch?: { swings?: SwingPoints }): SeriesSignals {
  const lows = series.field('low');
  const highs = series.field('high');
  const swings = swingPoints(lows, highs, params.pivot, scratch?.swings);
  if (scratch) scratch.swings = swings;
  const scan = { params, series, rsi: series.indicator('rsi'), vol: volatilityColumns(series, params), from };
  const bullish = scanSide(scan, swings.lows, swings.lowCount, lows, 'low');
  const bearish = scanSide(scan, swings.highs, swings.highCount, highs, 'high');
  // Both lists are in bar order; on a bar with both, the bullish one is decide's answer.
  const out = new SeriesSignalList();
  let b = 0;
  for (let k = 0; k < bullish.bars.length; k++) {
    const bar = bullish.bars[k] as number;
    for (; b < bearish.bars.length && (bearish.bars[b] as number) < bar; b++) out.add(bearish.bars[b] as number, bearish.signals[b] as Signal);
    if (b < bearish.bars.length && bearish.bars[b] === bar) b++;
    out.add(bar, bullish.signals[k] as Signal);
  }
  for (; b < bearish.bars.length; b++) out.add(bearish.bars[b] as number, bearish.signals[b] as Signal);
  return out;
}

interface Scan {
  readonly params: RsiDivergenceParams;
  readonly series: SeriesView;
  readonly rsi: Float64Array;
  readonly vol: ReturnType<typeof volatilityColumns>;
  readonly from: number;
}

/** The divergences at the swings of one side (`swings[0 … count−1]`, ascending). */
function scanSide(scan: Scan, swings: Int32Array, count: number, prices: Float64Array, side: Side): SeriesSignalList {
  const { params, rsi, vol, from } = scan;
  const out = new SeriesSignalList();
  const { pivot, minGap, lookback } = params;
  const low = side === 'low';
  for (let m = 0; m < count; m++) {
    const recent = swings[m] as number;
    const now = recent + pivot;
    if (now < from) continue;
    const v = volatilityRatioAt(vol, now);
    if (!Number.isFinite(v)) continue;
    const levels = thresholdsAt(params, v);
    const threshold = low ? levels.oversold : levels.overbought;
    const p1 = prices[recent] as number;
    const r1 = rsi[recent] as number;
    if (!Number.isFinite(r1)) continue;
    for (let q = m - 1; q >= 0; q--) {
      const j = swings[q] as number;
      if (j > recent - minGap) continue;
      if (j < recent - lookback) break;
      const p0 = prices[j] as number;
      const r0 = rsi[j] as number;
      // decide gives up at the nearest swing without an RSI value.
      if (!Number.isFinite(r0)) break;
      const priceDiverges = low ? p1 < p0 : p1 > p0;
      const rsiDiverges = low ? r1 > r0 : r1 < r0;
      const extreme = low ? r0 <= threshold : r0 >= threshold;
      if (priceDiverges && rsiDiverges && extreme) {
        out.add(now, divergenceSignal(scan.series.symbol, scan.series.time(now), { side, threshold, bars: recent - j, p0, p1, r0, r1 }));
        break;
      }
    }
  }
  return out;
}

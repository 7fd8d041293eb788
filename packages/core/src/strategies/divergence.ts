import { DescribedSignal, type Signal } from '../domain/signal';
import type { SeriesSignals, SeriesView } from '../ports/strategy';
import type { RsiDivergenceParams } from './rsi-divergence';
import { isSwing } from './swing-points';
import { SeriesSignalList } from './series-signal-list';
import { clamp, fmt, fmtPrice, VOL_RATIO_MAX, VOL_RATIO_MIN, volatilityColumns, volatilityRatioAt } from './volatility';

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
 * The strategy's `decide` for every bar from `from` on of a whole series. A bar signals
 * when the swing `pivot` bars back diverges from an earlier swing of the same side
 * `minGap … lookback` bars before it, searched nearest first, exactly as `decide` does.
 * Only earlier swings whose RSI reaches the most permissive level the thresholds can
 * take (or is not finite, where `decide` gives up) can end that search, so only those
 * are found first; a bar is classified only when one of them is in its window and would
 * diverge from it. A bullish divergence on a bar wins over a bearish one, as in `decide`.
 *
 * @param scratch where the swing index arrays are kept between calls, to be reused
 */
export function divergenceSeries(params: RsiDivergenceParams, series: SeriesView, from: number, scratch?: { lows?: Int32Array; highs?: Int32Array }): SeriesSignals {
  const n = series.length;
  const { pivot } = params;
  const lowSwings = scratch?.lows && scratch.lows.length >= n ? scratch.lows : new Int32Array(n);
  const highSwings = scratch?.highs && scratch.highs.length >= n ? scratch.highs : new Int32Array(n);
  if (scratch) {
    scratch.lows = lowSwings;
    scratch.highs = highSwings;
  }
  const vol = volatilityColumns(series, params);
  // Thresholds move monotonically with the volatility ratio, so its two ends bound them.
  const calm = thresholdsAt(params, vol ? VOL_RATIO_MIN : 1);
  const wild = thresholdsAt(params, vol ? VOL_RATIO_MAX : 1);
  const lowBound = Math.max(calm.oversold, wild.oversold);
  const highBound = Math.min(calm.overbought, wild.overbought);
  const rsi = series.indicator('rsi');
  const lows = series.field('low');
  const highs = series.field('high');
  // The swings that can end a search, both sides in one pass: most bars fail both tests
  // at once (a NaN RSI passes them, as decide stops there).
  let lowCount = 0;
  let highCount = 0;
  for (let j = pivot; j + pivot < n; j++) {
    const r = rsi[j] as number;
    if (r > lowBound && r < highBound) continue;
    if (!(r > lowBound) && isSwing(lows, j, pivot, true)) lowSwings[lowCount++] = j;
    if (!(r < highBound) && isSwing(highs, j, pivot, false)) highSwings[highCount++] = j;
  }
  const scan = { params, series, rsi, vol, from };
  const bullish = scanSide(scan, lows, 'low', lowSwings, lowCount);
  const bearish = scanSide(scan, highs, 'high', highSwings, highCount);
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

/**
 * The divergences of one side, given its swings (`swings[0 … count−1]`, ascending) whose
 * RSI reaches the most permissive threshold or is not finite: any other swing never
 * diverges and never stops `decide`'s search, so the search may skip it, and a bar with
 * none of these in its window never signals.
 */
function scanSide(scan: Scan, prices: Float64Array, side: Side, swings: Int32Array, count: number): SeriesSignalList {
  const { params, rsi, vol, from } = scan;
  const out = new SeriesSignalList();
  const { pivot, minGap, lookback } = params;
  const low = side === 'low';
  const n = prices.length;
  const fixed = vol ? undefined : thresholdsAt(params, 1);
  // swings[hi] is the latest at least minGap before j; the search walks down from it.
  let hi = -1;
  for (let j = Math.max(from - pivot, pivot); j + pivot < n; j++) {
    while (hi + 1 < count && (swings[hi + 1] as number) <= j - minGap) hi++;
    if (hi < 0 || (swings[hi] as number) < j - lookback) {
      // No swing in reach: jump to the first bar the next one reaches.
      if (hi + 1 >= count) break;
      j = Math.max(j, (swings[hi + 1] as number) + minGap - 1);
      continue;
    }
    const r1 = rsi[j] as number;
    if (!Number.isFinite(r1)) continue;
    const now = j + pivot;
    let levels = fixed;
    if (!levels) {
      const v = volatilityRatioAt(vol, now);
      if (!Number.isFinite(v)) continue;
      levels = thresholdsAt(params, v);
    }
    const threshold = low ? levels.oversold : levels.overbought;
    const p1 = prices[j] as number;
    for (let q = hi; q >= 0; q--) {
      const e = swings[q] as number;
      if (e < j - lookback) break;
      const p0 = prices[e] as number;
      const r0 = rsi[e] as number;
      // decide gives up at the nearest swing without an RSI value.
      if (!Number.isFinite(r0)) break;
      const priceDiverges = low ? p1 < p0 : p1 > p0;
      const rsiDiverges = low ? r1 > r0 : r1 < r0;
      const extreme = low ? r0 <= threshold : r0 >= threshold;
      if (priceDiverges && rsiDiverges && extreme) {
        // Whether bar j is a swing at all is asked only now: most bars never get here.
        if (isSwing(prices, j, pivot, low)) out.add(now, divergenceSignal(scan.series.symbol, scan.series.time(now), { side, threshold, bars: j - e, p0, p1, r0, r1 }));
        break;
      }
    }
  }
  return out;
}

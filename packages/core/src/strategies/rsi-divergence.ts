import { z } from 'zod';
import { DescribedSignal, type Signal } from '../domain/signal';
import type { MarketView, SeriesView, Strategy } from '../ports/strategy';
import type { StrategyDefinition } from './strategy-definition';
import { candleField, checkDynamicParams, clamp, dynamicParamsShape, fmt, fmtPrice, noSignals, volatilityColumns, volatilityIndicators, volatilityRatio, volatilityRatioAt, volatilityWarmup } from './volatility';

export const RsiDivergenceParams = z
  .object({
    period: z.number().int().min(2).max(200).default(14).describe('RSI period'),
    lookback: z.number().int().min(5).max(500).default(40).describe('bars searched back for the earlier swing'),
    pivot: z.number().int().min(1).max(20).default(3).describe('bars on each side that confirm a swing low/high'),
    minGap: z.number().int().min(1).max(200).default(4).describe('fewest bars between the two swings'),
    oversold: z.number().min(0).max(100).default(30).describe('RSI level the earlier low must reach'),
    overbought: z.number().min(0).max(100).default(70).describe('RSI level the earlier high must reach'),
    ...dynamicParamsShape,
  })
  .superRefine((p, ctx) => {
    if (p.oversold >= p.overbought) ctx.addIssue({ code: 'custom', path: ['oversold'], message: `oversold (${p.oversold}) must be below overbought (${p.overbought})` });
    if (p.minGap >= p.lookback) ctx.addIssue({ code: 'custom', path: ['minGap'], message: `minGap (${p.minGap}) must be smaller than lookback (${p.lookback})` });
    checkDynamicParams(p, ctx);
  });

export type RsiDivergenceParams = z.infer<typeof RsiDivergenceParams>;

type Side = 'low' | 'high';

/** Swing bits of a bar in {@link SwingCache.flags}. */
const LOW = 1;
const HIGH = 2;

/**
 * Swing bits of absolute bar `j`, from the ring of lows and highs around it. A bar is a
 * swing low (high) when its low (high) is below (above) the `pivot` bars on each side;
 * ties resolve to the older bar; a bar without `pivot` bars on both sides is none. Only
 * bars at least `pivot` back are classified, so confirming one never needs a future candle.
 */
function swingBits(lows: Float64Array, highs: Float64Array, j: number, pivot: number): number {
  if (j - pivot < 0) return 0;
  const span = lows.length;
  const lo = lows[j % span] as number;
  const hi = highs[j % span] as number;
  let low = Number.isFinite(lo);
  let high = Number.isFinite(hi);
  for (let k = 1; k <= pivot && (low || high); k++) {
    const nl = lows[(j + k) % span] as number;
    const ol = lows[(j - k) % span] as number;
    const nh = highs[(j + k) % span] as number;
    const oh = highs[(j - k) % span] as number;
    if (low && !(Number.isFinite(nl) && Number.isFinite(ol) && lo <= nl && lo < ol)) low = false;
    if (high && !(Number.isFinite(nh) && Number.isFinite(oh) && hi >= nh && hi > oh)) high = false;
  }
  return (low ? LOW : 0) | (high ? HIGH : 0);
}

/**
 * The swing bits of every bar of whole columns (bar j at index j), for `decideSeries`:
 * {@link swingBits} of each bar with `pivot` bars on both sides inside the columns, 0 for
 * the others. Prices are nearly always all finite; then the neighbours are compared
 * without branches (a swing test that stops at the first failing neighbour mispredicts
 * on most bars), which gives the same bits because every finiteness test passes.
 */
function swingFlags(lows: Float64Array, highs: Float64Array, pivot: number): Uint8Array {
  const n = lows.length;
  const flags = new Uint8Array(n);
  if (!(allFinite(lows) && allFinite(highs))) {
    for (let j = pivot; j + pivot < n; j++) flags[j] = swingBits(lows, highs, j, pivot);
    return flags;
  }
  for (let j = pivot; j + pivot < n; j++) {
    const lo = lows[j] as number;
    const hi = highs[j] as number;
    let low = 1;
    let high = 1;
    for (let k = 1; k <= pivot; k++) {
      low &= +(lo <= (lows[j + k] as number)) & +(lo < (lows[j - k] as number));
      high &= +(hi >= (highs[j + k] as number)) & +(hi > (highs[j - k] as number));
    }
    flags[j] = (low * LOW) | (high * HIGH);
  }
  return flags;
}

function allFinite(xs: Float64Array): boolean {
  for (let i = 0; i < xs.length; i++) if (!Number.isFinite(xs[i])) return false;
  return true;
}

/** One view's swing classification: `flags[j % flags.length]` for absolute bar j < `next`. */
interface SwingCache {
  readonly flags: Uint8Array;
  /** `view.length` and `view.time` when last updated, to notice a view that rewinds. */
  length: number;
  time: number;
  /** First absolute bar not classified yet. */
  next: number;
  /** Lows and highs of the latest bars, by absolute index modulo `2·pivot + 1`. */
  readonly lows: Float64Array;
  readonly highs: Float64Array;
  /** First absolute bar not read into the ring yet. */
  read: number;
}

/** Price of the swing side `offset` bars back (low for troughs, high for peaks). */
function price(view: MarketView, side: Side, offset: number): number {
  return candleField(view, side, offset);
}

/** Whether absolute bar `j` has swing bit `bit`; bars before history never do. */
function flagged(flags: Uint8Array, j: number, bit: number): boolean {
  return j >= 0 && ((flags[j % flags.length] as number) & bit) !== 0;
}

/**
 * RSI divergence. Bullish: price makes a lower swing low while RSI makes a higher low,
 * and RSI at the earlier low was oversold. Bearish is the mirror (higher high in price,
 * lower high in RSI, earlier high overbought). A swing is confirmed `pivot` bars after
 * it, and the signal fires on that bar; the earlier swing is searched between `minGap`
 * and `lookback` bars before the recent one (nearest first).
 *
 * Dynamic mode: with volatility ratio `v`, thresholds move away from 50 by √v:
 * `oversold' = 50 − (50 − oversold)·√v`, `overbought' = 50 + (overbought − 50)·√v`,
 * clamped to [1, 99] — in wild markets RSI swings further, so "oversold" must be deeper.
 */
export function createRsiDivergence(params: RsiDivergenceParams): Strategy {
  const { pivot, minGap, lookback } = params;
  const swings = new WeakMap<MarketView, SwingCache>();
  let lastView: MarketView | undefined;
  let lastCache: SwingCache | undefined;
  const find = (view: MarketView, flags: Uint8Array, side: Side, threshold: number) => {
    const recent = pivot;
    const bit = side === 'low' ? LOW : HIGH;
    const now = view.length - 1;
    if (!flagged(flags, now - recent, bit)) return undefined;
    const p1 = price(view, side, recent);
    const r1 = view.indicator('rsi', recent);
    if (!Number.isFinite(r1)) return undefined;
    for (let o = recent + minGap; o <= recent + lookback; o++) {
      if (!flagged(flags, now - o, bit)) continue;
      const p0 = price(view, side, o);
      const r0 = view.indicator('rsi', o);
      if (!Number.isFinite(r0)) return undefined;
      const priceDiverges = side === 'low' ? p1 < p0 : p1 > p0;
      const rsiDiverges = side === 'low' ? r1 > r0 : r1 < r0;
      const extreme = side === 'low' ? r0 <= threshold : r0 >= threshold;
      if (priceDiverges && rsiDiverges && extreme) return { bars: o - recent, p0, p1, r0, r1 };
    }
    return undefined;
  };
  /**
   * Swing flags of the bars `pivot … pivot + lookback` back, kept per view in a ring by
   * absolute index: a bar's flag depends only on the bars `pivot` either side of it, all
   * closed once it is `pivot` back, so each bar is classified once instead of once per
   * decide (views only grow; one that shrinks or rewinds is classified afresh).
   */
  const flagsOf = (view: MarketView): Uint8Array => {
    const n = view.length;
    const time = view.time;
    // A backtest decides on one view bar after bar: the last cache is kept at hand (and
    // its view alive, until another view comes).
    let c = view === lastView ? lastCache : swings.get(view);
    if (!c || n < c.length || (n === c.length && time !== c.time) || (n > c.length && time <= c.time)) {
      const span = 2 * pivot + 1;
      c = { flags: new Uint8Array(lookback + 1), lows: new Float64Array(span), highs: new Float64Array(span), length: 0, time, next: 0, read: 0 };
      swings.set(view, c);
    }
    lastView = view;
    lastCache = c;
    const last = n - 1 - pivot;
    const first = Math.max(c.next, last - lookback, 0);
    if (first <= last) {
      // Each bar's low and high are read once, into a ring of the 2·pivot+1 bars a swing spans.
      const { lows, highs } = c;
      const span = lows.length;
      for (let i = Math.max(c.read, first - pivot, 0); i < n; i++) {
        lows[i % span] = candleField(view, 'low', n - 1 - i);
        highs[i % span] = candleField(view, 'high', n - 1 - i);
        if (i - pivot >= first) c.flags[(i - pivot) % c.flags.length] = swingBits(lows, highs, i - pivot, pivot);
      }
      c.read = n;
      c.next = last + 1;
    }
    c.length = n;
    c.time = time;
    return c.flags;
  };
  return {
    id: RSI_DIVERGENCE_ID,
    warmup: Math.max(params.period + lookback + 2 * pivot + 1, volatilityWarmup(params)),
    indicators: { rsi: { indicator: 'rsi', params: { period: params.period } }, ...volatilityIndicators(params) },
    decide(view) {
      const v = volatilityRatio(view, params);
      if (!Number.isFinite(v)) return null;
      const { oversold, overbought } = thresholdsAt(params, v);
      const flags = flagsOf(view);
      const bull = find(view, flags, 'low', oversold);
      if (bull) return divergenceSignal(view.symbol, view.time, 'low', bull, oversold);
      const bear = find(view, flags, 'high', overbought);
      if (bear) return divergenceSignal(view.symbol, view.time, 'high', bear, overbought);
      return null;
    },
    decideSeries(series, from) {
      const n = series.length;
      const out = noSignals<Signal>(n);
      const lows = series.field('low');
      const highs = series.field('high');
      const rsi = series.indicator('rsi');
      const vol = volatilityColumns(series, params);
      // Bar j's swing bits, known from bar j + pivot on (as decide classifies them), and
      // the latest swing low and high at or before each bar, so that the search for the
      // earlier swing visits swings only.
      const flags = swingFlags(lows, highs, pivot);
      const lastLow = new Int32Array(n);
      const lastHigh = new Int32Array(n);
      let low = -1;
      let high = -1;
      for (let j = 0; j < n; j++) {
        const bits = flags[j] as number;
        if ((bits & LOW) !== 0) low = j;
        if ((bits & HIGH) !== 0) high = j;
        lastLow[j] = low;
        lastHigh[j] = high;
      }
      const first = Math.max(from, pivot);
      for (let now = first; now < n; now++) {
        // Without a swing confirmed on this bar there is nothing to compare: most bars.
        const bits = flags[now - pivot] as number;
        if (bits === 0) continue;
        const v = volatilityRatioAt(vol, now);
        if (!Number.isFinite(v)) continue;
        const { oversold, overbought } = thresholdsAt(params, v);
        const bull = (bits & LOW) !== 0 ? findIn(params, lastLow, lows, rsi, now, oversold, true) : undefined;
        if (bull) {
          out[now] = divergenceSignal(series.symbol, series.time(now), 'low', bull, oversold);
          continue;
        }
        const bear = (bits & HIGH) !== 0 ? findIn(params, lastHigh, highs, rsi, now, overbought, false) : undefined;
        if (bear) out[now] = divergenceSignal(series.symbol, series.time(now), 'high', bear, overbought);
      }
      return out;
    },
  };
}

/**
 * RSI levels for volatility ratio `v`: they move away from 50 by √v, clamped to [1, 99].
 */
function thresholdsAt(params: RsiDivergenceParams, v: number): { oversold: number; overbought: number } {
  const k = Math.sqrt(v);
  return { oversold: clamp(50 - (50 - params.oversold) * k, 1, 99), overbought: clamp(50 + (params.overbought - 50) * k, 1, 99) };
}

/**
 * `find` of decide over whole columns (bar j at index j) for the bar `now`: the earlier
 * swing that diverges from the one confirmed on this bar, nearest first. `last[j]` is the
 * latest swing of the side (lows when `low`) at or before bar j, -1 for none.
 */
function findIn(params: RsiDivergenceParams, last: Int32Array, prices: Float64Array, rsi: Float64Array, now: number, threshold: number, low: boolean): Divergence | undefined {
  const { pivot, minGap, lookback } = params;
  const recent = now - pivot;
  const p1 = prices[recent] as number;
  const r1 = rsi[recent] as number;
  if (!Number.isFinite(r1)) return undefined;
  const oldest = now - pivot - lookback;
  const nearest = now - pivot - minGap;
  for (let j = nearest >= 0 ? (last[nearest] as number) : -1; j >= 0 && j >= oldest; j = j > 0 ? (last[j - 1] as number) : -1) {
    const p0 = prices[j] as number;
    const r0 = rsi[j] as number;
    if (!Number.isFinite(r0)) return undefined;
    const priceDiverges = low ? p1 < p0 : p1 > p0;
    const rsiDiverges = low ? r1 > r0 : r1 < r0;
    const extreme = low ? r0 <= threshold : r0 >= threshold;
    if (priceDiverges && rsiDiverges && extreme) return { bars: now - j - pivot, p0, p1, r0, r1 };
  }
  return undefined;
}

/** The signal of a divergence against `threshold`: decide and decideSeries share it. */
function divergenceSignal(symbol: string, time: number, side: Side, d: Divergence, threshold: number): Signal {
  if (side === 'low') {
    const strength = clamp(0.3 + (d.r1 - d.r0) / 30, 0.05, 1);
    return new DescribedSignal(symbol, time, 'buy', strength, 0.6, RSI_DIVERGENCE_ID, divergenceReason('low', d, threshold));
  }
  const strength = -clamp(0.3 + (d.r0 - d.r1) / 30, 0.05, 1);
  return new DescribedSignal(symbol, time, 'sell', strength, 0.6, RSI_DIVERGENCE_ID, divergenceReason('high', d, threshold));
}

const RSI_DIVERGENCE_ID = 'rsi-divergence';

/** The two swings of a divergence: bars apart, prices and RSI (earlier 0, recent 1). */
interface Divergence {
  readonly bars: number;
  readonly p0: number;
  readonly p1: number;
  readonly r0: number;
  readonly r1: number;
}

/**
 * The reason of a divergence, written only if someone reads it (most signals are never
 * acted on). Built outside `decide`, so that `decide` captures nothing and allocates
 * nothing on the bars where no signal fires.
 */
function divergenceReason(side: Side, d: Divergence, threshold: number): () => string {
  if (side === 'low') {
    return () => `bullish RSI divergence: low ${fmtPrice(d.p1)} < ${fmtPrice(d.p0)} ${d.bars} bars earlier while RSI ${fmt(d.r1, 1)} > ${fmt(d.r0, 1)} (oversold ≤ ${fmt(threshold, 1)})`;
  }
  return () => `bearish RSI divergence: high ${fmtPrice(d.p1)} > ${fmtPrice(d.p0)} ${d.bars} bars earlier while RSI ${fmt(d.r1, 1)} < ${fmt(d.r0, 1)} (overbought ≥ ${fmt(threshold, 1)})`;
}

export const rsiDivergenceDefinition: StrategyDefinition<typeof RsiDivergenceParams> = {
  id: 'rsi-divergence',
  description: 'RSI divergence: lower price low with higher RSI low from oversold (and the bearish mirror)',
  params: RsiDivergenceParams,
  create: createRsiDivergence,
};

import { z } from 'zod';
import type { MarketView, Strategy } from '../ports/strategy';
import { divergenceSeries, divergenceSignal, RSI_DIVERGENCE_ID, type Side, thresholdsAt } from './divergence';
import { PerViewState } from '../engine/per-view-state';
import type { StrategyDefinition } from './strategy-definition';
import { swingBits, SWING_HIGH, SWING_LOW } from './swing-points';
import { candleField, checkDynamicParams, dynamicParamsShape, volatilityIndicators, volatilityRatio, volatilityWarmup } from './volatility';

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

/** Swing bits of a bar in {@link SwingCache.flags}. */
const LOW = SWING_LOW;
const HIGH = SWING_HIGH;

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
  const swings = new PerViewState<SwingCache>();
  let lastView: MarketView | undefined;
  let lastCache: SwingCache | undefined;
  const scratch = {};
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
      if (priceDiverges && rsiDiverges && extreme) return { side, threshold, bars: o - recent, p0, p1, r0, r1 };
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
      if (bull) return divergenceSignal(view.symbol, view.time, bull);
      const bear = find(view, flags, 'high', overbought);
      if (bear) return divergenceSignal(view.symbol, view.time, bear);
      return null;
    },
    decideSeries(series, from) {
      return divergenceSeries(params, series, from, scratch);
    },
  };
}

export const rsiDivergenceDefinition: StrategyDefinition<typeof RsiDivergenceParams> = {
  id: 'rsi-divergence',
  description: 'RSI divergence: lower price low with higher RSI low from oversold (and the bearish mirror)',
  params: RsiDivergenceParams,
  create: createRsiDivergence,
};

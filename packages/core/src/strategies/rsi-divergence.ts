import { z } from 'zod';
import type { MarketView, Strategy } from '../ports/strategy';
import { divergenceSeries, divergenceSignal, RSI_DIVERGENCE_ID, type Side, thresholdsAt } from './divergence';
import type { StrategyDefinition } from './strategy-definition';
import { SWING_HIGH, SWING_LOW } from './swing-points';
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

/** Price of the swing side `offset` bars back (low for troughs, high for peaks). */
function price(view: MarketView, side: Side, offset: number): number {
  return candleField(view, side, offset);
}

/**
 * Swing bits of the bar `offset` back, read from the view: what `swingBits` gives it
 * (see there). Both sides in one pass, stopping once neither can hold.
 */
function swingBitsAt(view: MarketView, offset: number, pivot: number): number {
  if (view.length - 1 - offset - pivot < 0 || offset < pivot) return 0;
  const lo = candleField(view, 'low', offset);
  const hi = candleField(view, 'high', offset);
  let low = Number.isFinite(lo);
  let high = Number.isFinite(hi);
  for (let k = 1; k <= pivot && (low || high); k++) {
    if (low) {
      const nl = candleField(view, 'low', offset - k);
      const ol = candleField(view, 'low', offset + k);
      if (!(Number.isFinite(nl) && Number.isFinite(ol) && lo <= nl && lo < ol)) low = false;
    }
    if (high) {
      const nh = candleField(view, 'high', offset - k);
      const oh = candleField(view, 'high', offset + k);
      if (!(Number.isFinite(nh) && Number.isFinite(oh) && hi >= nh && hi > oh)) high = false;
    }
  }
  return (low ? SWING_LOW : 0) | (high ? SWING_HIGH : 0);
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
  // decideSeries' swing index arrays, reused from one series to the next.
  const scratch = {};
  /**
   * The nearest earlier swing of `side` that diverges from the one `pivot` bars back (a
   * swing itself), searched `minGap … lookback` bars before it. Only a swing whose RSI is
   * past the threshold can diverge, and one without an RSI value ends the search, so the
   * others are skipped before asking whether they are swings at all.
   */
  const find = (view: MarketView, side: Side, threshold: number) => {
    const recent = pivot;
    const low = side === 'low';
    const bit = low ? SWING_LOW : SWING_HIGH;
    const p1 = price(view, side, recent);
    const r1 = view.indicator('rsi', recent);
    if (!Number.isFinite(r1)) return undefined;
    const last = Math.min(recent + lookback, view.length - 1);
    for (let o = recent + minGap; o <= last; o++) {
      const r0 = view.indicator('rsi', o);
      if (Number.isFinite(r0) && (low ? r0 > threshold : r0 < threshold)) continue;
      if ((swingBitsAt(view, o, pivot) & bit) === 0) continue;
      if (!Number.isFinite(r0)) return undefined;
      const p0 = price(view, side, o);
      const priceDiverges = low ? p1 < p0 : p1 > p0;
      const rsiDiverges = low ? r1 > r0 : r1 < r0;
      if (priceDiverges && rsiDiverges) return { side, threshold, bars: o - recent, p0, p1, r0, r1 };
    }
    return undefined;
  };
  return {
    id: RSI_DIVERGENCE_ID,
    warmup: Math.max(params.period + lookback + 2 * pivot + 1, volatilityWarmup(params)),
    indicators: { rsi: { indicator: 'rsi', params: { period: params.period } }, ...volatilityIndicators(params) },
    decide(view) {
      const v = volatilityRatio(view, params);
      if (!Number.isFinite(v)) return null;
      // The swing `pivot` bars back is confirmed on this bar: without one, nothing to
      // compare (most bars). Decide keeps no state: it reads the few bars it needs.
      const bits = swingBitsAt(view, pivot, pivot);
      if (bits === 0) return null;
      const { oversold, overbought } = thresholdsAt(params, v);
      const bull = (bits & SWING_LOW) !== 0 ? find(view, 'low', oversold) : undefined;
      if (bull) return divergenceSignal(view.symbol, view.time, bull);
      const bear = (bits & SWING_HIGH) !== 0 ? find(view, 'high', overbought) : undefined;
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

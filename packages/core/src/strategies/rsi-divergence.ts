import { z } from 'zod';
import type { MarketView, Strategy } from '../ports/strategy';
import type { StrategyDefinition } from './strategy-definition';
import { candleField, checkDynamicParams, clamp, dynamicParamsShape, fmt, fmtPrice, volatilityIndicators, volatilityRatio, volatilityWarmup } from './volatility';

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

/** Price of the swing side `offset` bars back (low for troughs, high for peaks). */
function price(view: MarketView, side: Side, offset: number): number {
  return candleField(view, side, offset);
}

/**
 * Whether the bar `offset` back is a swing: its low (high) is below (above) the `pivot`
 * bars on each side; ties resolve to the older bar. Only bars at least `pivot` back
 * can be swings, so confirming one never needs a future candle.
 */
function isSwing(view: MarketView, side: Side, offset: number, pivot: number): boolean {
  const x = price(view, side, offset);
  if (!Number.isFinite(x)) return false;
  for (let k = 1; k <= pivot; k++) {
    const newer = price(view, side, offset - k);
    const older = price(view, side, offset + k);
    if (!(Number.isFinite(newer) && Number.isFinite(older))) return false;
    if (side === 'low' ? !(x <= newer && x < older) : !(x >= newer && x > older)) return false;
  }
  return true;
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
  const id = 'rsi-divergence';
  const { pivot, minGap, lookback } = params;
  const find = (view: MarketView, side: Side, threshold: number) => {
    const recent = pivot;
    if (!isSwing(view, side, recent, pivot)) return undefined;
    const p1 = price(view, side, recent);
    const r1 = view.indicator('rsi', recent);
    if (!Number.isFinite(r1)) return undefined;
    for (let o = recent + minGap; o <= recent + lookback; o++) {
      if (!isSwing(view, side, o, pivot)) continue;
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
  return {
    id,
    warmup: Math.max(params.period + lookback + 2 * pivot + 1, volatilityWarmup(params)),
    indicators: { rsi: { indicator: 'rsi', params: { period: params.period } }, ...volatilityIndicators(params) },
    decide(view) {
      const v = volatilityRatio(view, params);
      if (!Number.isFinite(v)) return null;
      const k = Math.sqrt(v);
      const oversold = clamp(50 - (50 - params.oversold) * k, 1, 99);
      const overbought = clamp(50 + (params.overbought - 50) * k, 1, 99);
      const bull = find(view, 'low', oversold);
      if (bull) {
        const strength = clamp(0.3 + (bull.r1 - bull.r0) / 30, 0.05, 1);
        return {
          symbol: view.symbol, time: view.time, direction: 'buy', strength, confidence: 0.6, source: id,
          reason: `bullish RSI divergence: low ${fmtPrice(bull.p1)} < ${fmtPrice(bull.p0)} ${bull.bars} bars earlier while RSI ${fmt(bull.r1, 1)} > ${fmt(bull.r0, 1)} (oversold ≤ ${fmt(oversold, 1)})`,
        };
      }
      const bear = find(view, 'high', overbought);
      if (bear) {
        const strength = -clamp(0.3 + (bear.r0 - bear.r1) / 30, 0.05, 1);
        return {
          symbol: view.symbol, time: view.time, direction: 'sell', strength, confidence: 0.6, source: id,
          reason: `bearish RSI divergence: high ${fmtPrice(bear.p1)} > ${fmtPrice(bear.p0)} ${bear.bars} bars earlier while RSI ${fmt(bear.r1, 1)} < ${fmt(bear.r0, 1)} (overbought ≥ ${fmt(overbought, 1)})`,
        };
      }
      return null;
    },
  };
}

export const rsiDivergenceDefinition: StrategyDefinition<typeof RsiDivergenceParams> = {
  id: 'rsi-divergence',
  description: 'RSI divergence: lower price low with higher RSI low from oversold (and the bearish mirror)',
  params: RsiDivergenceParams,
  create: createRsiDivergence,
};

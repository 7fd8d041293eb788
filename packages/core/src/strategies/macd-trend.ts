import { z } from 'zod';
import { DescribedSignal, type Signal } from '../domain/signal';
import type { IndicatorRequest, Strategy } from '../ports/strategy';
import type { StrategyDefinition } from './strategy-definition';
import { candleField, checkDynamicParams, clamp, dynamicParamsShape, fmt, fmtPrice, volatilityColumns, volatilityIndicators, volatilityRatio, volatilityRatioAt, volatilityWarmup } from './volatility';
import { SeriesSignalList } from './series-signal-list';

export const MacdTrendParams = z
  .object({
    fast: z.number().int().min(2).max(500).default(12).describe('MACD fast EMA period'),
    slow: z.number().int().min(3).max(1000).default(26).describe('MACD slow EMA period'),
    signal: z.number().int().min(2).max(500).default(9).describe('signal line EMA period'),
    trend: z.number().int().min(0).max(2000).default(200).describe('trend EMA period (0 = no trend filter)'),
    minHistogram: z.number().min(0).max(10).default(0.01).describe('smallest |histogram| that counts, in % of price'),
    trendFilterExits: z.boolean().default(false).describe('also require close < trend EMA for sells'),
    ...dynamicParamsShape,
  })
  .superRefine((p, ctx) => {
    if (p.fast >= p.slow) ctx.addIssue({ code: 'custom', path: ['fast'], message: `fast must be smaller than slow (got fast=${p.fast}, slow=${p.slow})` });
    if (p.trend !== 0 && p.trend < 2) ctx.addIssue({ code: 'custom', path: ['trend'], message: 'trend must be 0 (off) or at least 2' });
    checkDynamicParams(p, ctx);
  });

export type MacdTrendParams = z.infer<typeof MacdTrendParams>;

/**
 * MACD trend following: buy when the MACD line crosses above its signal line (the
 * histogram turns positive) while the close is above the long trend EMA; sell when it
 * crosses below (exits are not held back by the trend unless `trendFilterExits`). A
 * cross counts only if the histogram reaches `minHistogram` percent of the price, so
 * hair-thin crosses in flat markets are ignored.
 *
 * Dynamic mode: the histogram floor becomes `minHistogram·v` (v = volatility ratio):
 * a noisier market needs a clearer cross.
 */
export function createMacdTrend(params: MacdTrendParams): Strategy {
  const id = MACD_TREND_ID;
  const macd = { fast: params.fast, slow: params.slow, signal: params.signal };
  const indicators: Record<string, IndicatorRequest> = {
    macd: { indicator: 'macd', params: macd, output: 'macd' },
    hist: { indicator: 'macd', params: macd, output: 'histogram' },
    ...volatilityIndicators(params),
  };
  if (params.trend > 0) indicators.trend = { indicator: 'ema', params: { period: params.trend } };
  return {
    id,
    warmup: Math.max(params.slow + params.signal, params.trend, volatilityWarmup(params)),
    indicators,
    decide(view) {
      const h0 = view.indicator('hist');
      const h1 = view.indicator('hist', 1);
      const close = candleField(view, 'close', 0);
      if (!(Number.isFinite(h0) && Number.isFinite(h1) && close > 0)) return null;
      if (!((h1 <= 0 && h0 > 0) || (h1 >= 0 && h0 < 0))) return null;
      const trend = params.trend > 0 ? view.indicator('trend') : Number.NaN;
      return crossSignal(params, view.symbol, view.time, h0, h1, close, volatilityRatio(view, params), trend);
    },
    decideSeries(series, from) {
      const out = new SeriesSignalList();
      const hist = series.indicator('hist');
      const closes = series.field('close');
      const trend = params.trend > 0 ? series.indicator('trend') : undefined;
      const vol = volatilityColumns(series, params);
      for (let i = Math.max(from, 1); i < series.length; i++) {
        const h0 = hist[i] as number;
        const h1 = hist[i - 1] as number;
        // Most bars cross nothing (NaN fails every comparison): test that first.
        if (!((h1 <= 0 && h0 > 0) || (h1 >= 0 && h0 < 0))) continue;
        const close = closes[i] as number;
        if (!(Number.isFinite(h0) && Number.isFinite(h1) && close > 0)) continue;
        out.add(i, crossSignal(params, series.symbol, series.time(i), h0, h1, close, volatilityRatioAt(vol, i), trend ? (trend[i] as number) : Number.NaN));
      }
      return out;
    },
  };
}

/**
 * The signal of a bar whose histogram crossed zero (h1 → h0), given the close, the
 * volatility ratio and the trend EMA (NaN when off): decide and decideSeries share it.
 */
function crossSignal(params: MacdTrendParams, symbol: string, time: number, h0: number, h1: number, close: number, v: number, trend: number): Signal | null {
  const up = h1 <= 0 && h0 > 0;
  if (!Number.isFinite(v)) return null;
  const histPct = (Math.abs(h0) / close) * 100;
  const floor = params.minHistogram * v;
  if (histPct < floor) return null;
  if (params.trend > 0 && !Number.isFinite(trend)) return null;
  // Saturating: a histogram as large as the floor gives 0.5, ten times the floor ~0.9.
  const strength = clamp(histPct / (histPct + Math.max(floor, 0.001)), 0.1, 1);
  if (up) {
    if (params.trend > 0 && !(close > trend)) return null;
  } else if (params.trendFilterExits && params.trend > 0 && !(close < trend)) return null;
  return new DescribedSignal(symbol, time, up ? 'buy' : 'sell', up ? strength : -strength, 0.55, MACD_TREND_ID, crossReason, { up, histPct, floor, close, trend, trendPeriod: params.trend });
}

const MACD_TREND_ID = 'macd-trend';

/**
 * The reason of a cross, written only if someone reads it (most signals are never acted
 * on), from the values the signal keeps as its payload.
 */
function crossReason(p: { up: boolean; histPct: number; floor: number; close: number; trend: number; trendPeriod: number }): string {
  const trendText = p.trendPeriod > 0 ? `, close ${fmtPrice(p.close)} ${p.close > p.trend ? 'above' : 'below'} EMA(${p.trendPeriod}) ${fmtPrice(p.trend)}` : '';
  return `MACD crossed ${p.up ? 'above' : 'below'} signal, histogram ${fmt(p.histPct, 3)}% ≥ ${fmt(p.floor, 3)}%${trendText}`;
}

export const macdTrendDefinition: StrategyDefinition<typeof MacdTrendParams> = {
  id: 'macd-trend',
  description: 'MACD signal-line crosses filtered by the histogram and a long EMA trend',
  params: MacdTrendParams,
  create: createMacdTrend,
};

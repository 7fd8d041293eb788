import { z } from 'zod';
import type { CandleField, IndicatorRequest, MarketView, SeriesView } from '../ports/strategy';

/**
 * Parameters every built-in strategy shares to adapt to volatility. Spread them into a
 * strategy's schema and check them with {@link checkDynamicParams}.
 */
export const dynamicParamsShape = {
  dynamic: z.boolean().default(false).describe('scale periods/thresholds by the volatility ratio'),
  volShort: z.number().int().min(2).max(500).default(14).describe('ATR% period of current volatility'),
  volLong: z.number().int().min(10).max(2000).default(100).describe('ATR% period of baseline volatility'),
};

/** The shared dynamic-parameter fields as a type. */
export interface DynamicParams {
  readonly dynamic: boolean;
  readonly volShort: number;
  readonly volLong: number;
}

/** Lowest and highest volatility ratio used; beyond them a regime is "as calm/wild as it gets". */
export const VOL_RATIO_MIN = 0.5;
export const VOL_RATIO_MAX = 2;

/** Zod refinement body: the short volatility window must be shorter than the long one. */
export function checkDynamicParams(p: DynamicParams, ctx: z.RefinementCtx): void {
  if (p.volShort >= p.volLong) {
    ctx.addIssue({ code: 'custom', path: ['volShort'], message: `volShort (${p.volShort}) must be smaller than volLong (${p.volLong})` });
  }
}

/** Indicators the volatility ratio reads (none when `dynamic` is off). */
export function volatilityIndicators(p: DynamicParams): Record<string, IndicatorRequest> {
  if (!p.dynamic) return {};
  return {
    volShort: { indicator: 'natr', params: { period: p.volShort } },
    volLong: { indicator: 'natr', params: { period: p.volLong } },
  };
}

/** Extra warm-up the volatility ratio needs (NATR is valid from index `period`). */
export function volatilityWarmup(p: DynamicParams): number {
  return p.dynamic ? p.volLong + 1 : 0;
}

/**
 * The volatility ratio `v = clamp(NATR(volShort) / NATR(volLong), 0.5, 2)`: current
 * ATR% against its longer baseline. 1 means usual volatility, 2 twice as wild. Always 1
 * when `dynamic` is off, and NaN while the baseline is warming up.
 */
export function volatilityRatio(view: MarketView, p: DynamicParams, offset = 0): number {
  if (!p.dynamic) return 1;
  return volatilityRatioOf(view.indicator('volShort', offset), view.indicator('volLong', offset));
}

/** {@link volatilityRatio} from the two NATR values. */
export function volatilityRatioOf(short: number, long: number): number {
  if (!(short >= 0 && long > 0)) return Number.NaN;
  return clamp(short / long, VOL_RATIO_MIN, VOL_RATIO_MAX);
}

/** The NATR columns the volatility ratio reads, for a strategy's `decideSeries`; undefined when `dynamic` is off. */
export function volatilityColumns(series: SeriesView, p: DynamicParams): { readonly short: Float64Array; readonly long: Float64Array } | undefined {
  if (!p.dynamic) return undefined;
  return { short: series.indicator('volShort'), long: series.indicator('volLong') };
}

/** The volatility ratio at bar `i` of {@link volatilityColumns} (1 when there are none). */
export function volatilityRatioAt(columns: ReturnType<typeof volatilityColumns>, i: number): number {
  return columns ? volatilityRatioOf(columns.short[i] as number, columns.long[i] as number) : 1;
}

/** Clamps `x` into [lo, hi]. */
export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** Short decimal for signal reasons. */
export function fmt(x: number, digits = 2): string {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

/** A price with 8 significant digits and no trailing zeros (works for BTC and for PEPE). */
export function fmtPrice(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(8))) : String(x);
}

/** A candle field `offset` bars back (NaN before history), without allocating when the view can. */
export function candleField(view: MarketView, name: CandleField, offset = 0): number {
  if (view.field) return view.field(name, offset);
  return view.candle(offset)?.[name] ?? Number.NaN;
}

import { getIndicator } from '@kairos/indicators-gpu';
import type { Candle } from '../domain/candle';
import { AGGREGATE_PARAMS_KEY } from './aggregate-strategy';

/** Market regimes the recommender knows (the indicator package's detector reports these). */
export type RegimeKind = 'trend' | 'range' | 'high-volatility';

/** A regime reading for one symbol: what kind, and for trends which way. */
export interface MarketRegime {
  readonly kind: RegimeKind;
  readonly direction?: 'up' | 'down';
  /** Numbers behind the call, for reasons and logs. */
  readonly metrics?: Readonly<Record<string, number>>;
}

/** One recommended strategy with its weight in the aggregate and parameter overrides. */
export interface StrategyPick {
  readonly id: string;
  readonly weight: number;
  readonly params: Readonly<Record<string, unknown>>;
}

/** What suits a symbol now, ready for `registry.create(spec.id, spec.params)`. */
export interface StrategyRecommendation {
  readonly regime: MarketRegime;
  readonly picks: readonly StrategyPick[];
  readonly reason: string;
  /** The aggregate strategy id (`a,b,...`) and params (per id + `aggregate.weights`). */
  readonly spec: { readonly id: string; readonly params: Record<string, unknown> };
}

const TABLE: Record<string, { picks: StrategyPick[]; why: string }> = {
  'trend-up': {
    picks: [
      { id: 'macd-trend', weight: 0.45, params: {} },
      { id: 'ma-cross', weight: 0.35, params: {} },
      { id: 'bollinger-breakout', weight: 0.2, params: { exitAtMiddle: false } },
    ],
    why: 'trend followers lead in an up-trend; breakouts tend to continue it',
  },
  'trend-down': {
    picks: [
      { id: 'macd-trend', weight: 0.5, params: { trendFilterExits: false } },
      { id: 'ma-cross', weight: 0.3, params: {} },
      { id: 'rsi-divergence', weight: 0.2, params: {} },
    ],
    why: 'a down-trend mostly needs timely exits; bullish divergences flag the turn',
  },
  range: {
    picks: [
      { id: 'rsi-divergence', weight: 0.6, params: {} },
      { id: 'bollinger-breakout', weight: 0.4, params: { requireSqueeze: true } },
    ],
    why: 'in a range, mean reversion from divergences works and only squeeze breakouts are worth taking; crossovers whipsaw',
  },
  'high-volatility': {
    picks: [
      { id: 'bollinger-breakout', weight: 0.4, params: { dynamic: true } },
      { id: 'rsi-divergence', weight: 0.3, params: { dynamic: true } },
      { id: 'macd-trend', weight: 0.3, params: { dynamic: true } },
    ],
    why: 'wild markets need volatility-scaled thresholds; breakouts carry the moves',
  },
};

/**
 * Recommends which built-in strategies, with which weights and parameters, suit a symbol
 * in a regime. A fixed, documented table (see docs/strategies.md) rather than a fitted
 * model, so a recommendation can be explained and reproduced.
 */
export function recommendStrategies(regime: MarketRegime): StrategyRecommendation {
  const key = regime.kind === 'trend' ? `trend-${regime.direction ?? 'up'}` : regime.kind;
  const row = TABLE[key] as (typeof TABLE)[string];
  const params: Record<string, unknown> = {};
  for (const p of row.picks) if (Object.keys(p.params).length > 0) params[p.id] = p.params;
  params[AGGREGATE_PARAMS_KEY] = { weights: Object.fromEntries(row.picks.map((p) => [p.id, p.weight])) };
  return {
    regime,
    picks: row.picks,
    reason: `${key}: ${row.why}`,
    spec: { id: row.picks.map((p) => p.id).join(','), params },
  };
}

/** Thresholds of {@link classifyRegime}. */
export interface RegimeThresholds {
  /** ADX at or above which the market trends (default 25). */
  readonly adxTrend?: number;
  /** NATR(14)/NATR(100) at or above which it is high-volatility (default 1.5). */
  readonly volRatio?: number;
}

/**
 * A small regime classifier over the latest closed candles, for when no detector is
 * wired: high-volatility when NATR(14)/NATR(100) ≥ `volRatio`, else trend when
 * ADX(14) ≥ `adxTrend` (direction from +DI vs −DI), else range. Reads only the candles
 * given, so passing the history up to now cannot look ahead. Needs ≥ 101 candles.
 */
export function classifyRegime(candles: readonly Candle[], thresholds: RegimeThresholds = {}): MarketRegime {
  const n = candles.length;
  if (n < 101) throw new RangeError(`classifyRegime needs at least 101 candles, got ${n}`);
  const inputs = {
    high: Float64Array.from(candles, (c) => c.high),
    low: Float64Array.from(candles, (c) => c.low),
    close: Float64Array.from(candles, (c) => c.close),
  };
  const adx = getIndicator('adx').batch(inputs, { period: 14 });
  const short = getIndicator('natr').batch(inputs, { period: 14 }).value as Float64Array;
  const long = getIndicator('natr').batch(inputs, { period: 100 }).value as Float64Array;
  const last = n - 1;
  const metrics = {
    adx: adx.adx?.[last] ?? Number.NaN,
    pdi: adx.pdi?.[last] ?? Number.NaN,
    mdi: adx.mdi?.[last] ?? Number.NaN,
    volRatio: (short[last] as number) / (long[last] as number),
  };
  if (metrics.volRatio >= (thresholds.volRatio ?? 1.5)) return { kind: 'high-volatility', metrics };
  if (metrics.adx >= (thresholds.adxTrend ?? 25)) return { kind: 'trend', direction: metrics.pdi >= metrics.mdi ? 'up' : 'down', metrics };
  return { kind: 'range', metrics };
}

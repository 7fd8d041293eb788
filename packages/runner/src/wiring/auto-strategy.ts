import { type Candle, ConfigError, type MarketRegime, type StrategyRecommendation, classifyRegime, recommendStrategies } from '@kairos/core';

/** Candles of history the regime is read from when no start date is given. */
export const AUTO_LOOKBACK = 500;

export interface AutoRecommendation {
  readonly recommendation: StrategyRecommendation;
  /** Each symbol's regime, read from candles before `start` only. */
  readonly regimes: ReadonlyArray<{ readonly symbol: string; readonly regime: MarketRegime }>;
  /** Open time of the first candle the run may trade (ms). */
  readonly start: number;
}

function key(r: MarketRegime): string {
  return r.kind === 'trend' ? `trend-${r.direction ?? 'up'}` : r.kind;
}

/**
 * `--strategy auto`: reads each symbol's market regime from the candles before the run
 * starts (so the choice cannot see the future) and recommends the strategies and weights
 * of the regime most symbols are in. Without `from`, the run starts after the first
 * {@link AUTO_LOOKBACK} candles of the first symbol, which serve as that history.
 */
export function recommendForRun(series: ReadonlyArray<{ symbol: string; candles: readonly Candle[] }>, from?: number): AutoRecommendation {
  const first = series[0]?.candles;
  const start = from ?? first?.[AUTO_LOOKBACK]?.time;
  if (start === undefined) throw new ConfigError('--strategy', `auto needs at least ${AUTO_LOOKBACK + 1} candles of history, or --from after enough history`);
  const regimes: Array<{ symbol: string; regime: MarketRegime }> = [];
  for (const { symbol, candles } of series) {
    const before = candles.filter((c) => c.time < start).slice(-AUTO_LOOKBACK);
    if (before.length >= 101) regimes.push({ symbol, regime: classifyRegime(before) });
  }
  if (regimes.length === 0) throw new ConfigError('--strategy', 'auto needs at least 101 candles before the start for one symbol; give an earlier data range or a later --from');
  const votes = new Map<string, number>();
  for (const r of regimes) votes.set(key(r.regime), (votes.get(key(r.regime)) ?? 0) + 1);
  // Most votes wins; ties go to the regime seen first (symbols in the order given).
  let best = regimes[0] as { regime: MarketRegime };
  for (const r of regimes) if ((votes.get(key(r.regime)) ?? 0) > (votes.get(key(best.regime)) ?? 0)) best = r;
  return { recommendation: recommendStrategies(best.regime), regimes, start };
}

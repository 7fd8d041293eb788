import { NullLogger, SafeStrategy, type SeriesView, type Signal, type Strategy, SymbolState, seriesViewOf } from '@kairos/core';
import type { SeriesData } from './series-data';

/** Signal codes written by signal sources: buy, sell, nothing. */
export const SIGNAL_BUY = 1;
export const SIGNAL_SELL = -1;

/**
 * Turns one parameter set into a signal per candle (+1 buy, −1 sell, 0 none) written
 * into `out`, and returns the strategy's warm-up (first index decided is warmup − 1).
 */
export type FastSignalFn = (series: SeriesData, params: Readonly<Record<string, unknown>>, out: Int8Array) => number;

/**
 * A strategy's vectorised signal kernel over batch indicator columns. `supports` says
 * whether a parameter set is covered (e.g. not the dynamic mode); uncovered sets take
 * the generic path.
 */
export interface FastSignalKernel {
  readonly strategyId: string;
  supports(params: Readonly<Record<string, unknown>>): boolean;
  readonly signals: FastSignalFn;
}

/**
 * The generic path: runs the real strategy over a preloaded `SymbolState` (the Engine's
 * own view and batch indicators) and records its signals: through its batch form
 * (`decideSeries`, or `decide` replayed bar by bar) when it has no higher timeframes,
 * else candle by candle as the Engine does. Works for any strategy; slower than a
 * kernel, still far faster than the Engine.
 */
export function strategySignals(strategy: Strategy, series: SeriesData, out: Int8Array): number {
  const state = new SymbolState(series.symbol, series.timeframe, {}, { preload: series.candles });
  const view = state.viewFor(strategy);
  const safe = new SafeStrategy(strategy, new NullLogger());
  out.fill(0);
  const candles = series.candles;
  const record = (i: number, s: Signal | null) => {
    if (s?.direction === 'buy') out[i] = SIGNAL_BUY;
    else if (s?.direction === 'sell') out[i] = SIGNAL_SELL;
  };
  if (!strategy.timeframes) {
    for (const c of candles) state.append(c);
    // A symbol state's views are engine views, which always have the series form.
    const from = Math.max(strategy.warmup - 1, 0);
    const { bars, signals } = safe.decideSeries(seriesViewOf(view) as SeriesView, from);
    for (let k = 0; k < bars.length; k++) record(bars[k] as number, signals[k] as Signal);
    return strategy.warmup;
  }
  for (let i = 0; i < candles.length; i++) {
    state.append(candles[i] as (typeof candles)[number]);
    if (view.length < strategy.warmup) continue;
    record(i, safe.decide(view));
  }
  return strategy.warmup;
}

import type { Candle, Timeframe } from '../domain/candle';
import type { Signal } from '../domain/signal';
import type { SeriesView, Strategy } from '../ports/strategy';
import { seriesViewOf } from './market-view';
import { SymbolState } from './symbol-state';

/** How {@link runStrategy} computes indicators: all at once, or one candle at a time. */
export type IndicatorMode = 'batch' | 'stream';

export interface RunStrategyOptions {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly candles: readonly Candle[];
  /** 'batch' (default) computes indicators once over the series, as backtests do; 'stream' as live does. */
  readonly mode?: IndicatorMode;
}

/**
 * Runs a strategy over a candle series and returns every non-null signal, in order.
 * Both modes walk the same view candle by candle, so a strategy sees the same past in
 * each; only how the indicator columns are filled differs. Used for research, parity
 * tests and the strategy benchmark; the Engine does the same inside its loop.
 *
 * In batch mode a strategy with `decideSeries` (and no higher timeframes) decides over
 * the whole series at once; its contract is to return what `decide` would, bar by bar.
 */
export function runStrategy(strategy: Strategy, opts: RunStrategyOptions): Signal[] {
  const state = new SymbolState(opts.symbol, opts.timeframe, {}, opts.mode === 'stream' ? {} : { preload: opts.candles });
  const view = state.viewFor(strategy);
  const out: Signal[] = [];
  if (opts.mode !== 'stream' && strategy.decideSeries && !strategy.timeframes) {
    for (const c of opts.candles) state.append(c);
    // A symbol state's views are engine views, which always have the series form.
    const series = seriesViewOf(view) as SeriesView;
    return [...strategy.decideSeries(series, Math.max(strategy.warmup - 1, 0)).signals];
  }
  for (const c of opts.candles) {
    state.append(c);
    if (view.length < strategy.warmup) continue;
    const s = strategy.decide(view);
    if (s) out.push(s);
  }
  return out;
}

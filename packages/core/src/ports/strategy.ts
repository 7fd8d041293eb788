import type { Candle, Timeframe } from '../domain/candle';
import type { Signal } from '../domain/signal';

/** A numeric field of a candle. */
export type CandleField = 'open' | 'high' | 'low' | 'close' | 'volume';

/** An indicator a strategy needs, named by its id in `@kairos/indicators-gpu`. */
export interface IndicatorRequest {
  readonly indicator: string;
  readonly params?: Readonly<Record<string, number | string | boolean>>;
  /** Output to expose when the indicator has several (default: its first). */
  readonly output?: string;
}

/**
 * A read-only window onto one symbol's history, ending at the current closed candle.
 * Offsets count back from now (0 = current); there is no way to reach a later bar.
 */
export interface MarketView {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** Number of closed candles seen so far. */
  readonly length: number;
  /** Close time of the current candle (ms). */
  readonly time: number;
  /** The candle `offset` bars back; undefined before the start of history. */
  candle(offset?: number): Candle | undefined;
  /**
   * One field of the candle `offset` bars back, without building a Candle object (for
   * loops over many bars); NaN before the start of history. Engine views provide it.
   */
  field?(name: CandleField, offset?: number): number;
  /** A declared indicator's value `offset` bars back; NaN during warm-up. */
  indicator(key: string, offset?: number): number;
  /**
   * The view of a declared higher timeframe (see {@link Strategy.timeframes}), ending at
   * the last higher-timeframe candle that has fully closed; undefined before the first one.
   */
  higher?(name: string): MarketView | undefined;
}

/**
 * A whole series of one symbol at once, oldest bar first, for {@link Strategy.decideSeries}:
 * the candle columns and the strategy's declared indicator columns, cut at the present
 * (nothing later than the view's current bar is in them). Columns are shared with the
 * engine: read them, never write them.
 */
export interface SeriesView {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** Number of bars in every column. */
  readonly length: number;
  /** Close time of bar `i` (ms): what `view.time` is while bar `i` is the current one. */
  time(i: number): number;
  /** One candle field's column. */
  field(name: CandleField): Float64Array;
  /** A declared indicator's column; NaN during warm-up. */
  indicator(key: string): Float64Array;
}

/**
 * The signals of a series in bar order, bars without one left out: `signals[k]` is the
 * signal of bar `bars[k]`, and `bars` is strictly increasing.
 */
export interface SeriesSignals {
  readonly bars: readonly number[];
  readonly signals: readonly Signal[];
}

/** A higher-timeframe input of a strategy, e.g. a 1h trend filter for a 5m strategy. */
export interface TimeframeInput {
  readonly timeframe: Timeframe;
  /** Indicators on the resampled candles, keyed by local name. */
  readonly indicators: Readonly<Record<string, IndicatorRequest>>;
}

/**
 * A trading strategy: declares what it needs, then decides on each closed candle.
 * `decide` must be a pure function of the view (no wall clock, no randomness), so
 * backtest, paper and live produce the same signals.
 */
export interface Strategy {
  readonly id: string;
  /** Closed candles needed before signals are meaningful. */
  readonly warmup: number;
  /** Indicators computed by the engine once per symbol, keyed by local name. */
  readonly indicators: Readonly<Record<string, IndicatorRequest>>;
  /** Optional higher-timeframe inputs by local name; read them with `view.higher(name)`. */
  readonly timeframes?: Readonly<Record<string, TimeframeInput>>;
  decide(view: MarketView): Signal | null;
  /**
   * Optional batch form of {@link decide} for backtests: the signals of the bars from
   * `from` to the end of the series, computed over whole columns at once. The signal of
   * bar `i` must be what `decide` returns on a view whose current bar is `i` (same
   * fields, same values, same reason), and a bar appears exactly when `decide` would
   * return a signal there.
   *
   * `decide` cannot see the future by construction; this form sees the whole series, so
   * reading nothing later than bar `i` for bar `i` is the implementer's duty. The
   * built-in strategies provide it and are checked bar for bar against `decide`, and by
   * the "appending candles never changes a past signal" property. Strategies without
   * it are replayed through `decide` bar by bar, which is always correct, only slower.
   * Not used when the strategy declares higher timeframes.
   */
  decideSeries?(series: SeriesView, from: number): SeriesSignals;
}

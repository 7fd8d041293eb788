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
}

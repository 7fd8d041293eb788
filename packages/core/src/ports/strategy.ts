import type { Candle, Timeframe } from '../domain/candle';
import type { Signal } from '../domain/signal';

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
  /** A declared indicator's value `offset` bars back; NaN during warm-up. */
  indicator(key: string, offset?: number): number;
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
  decide(view: MarketView): Signal | null;
}

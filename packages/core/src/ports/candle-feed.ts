import type { MarketCandle } from '../domain/candle';

/**
 * A source of closed candles in time order across symbols: replayed files, REST
 * polling or websocket streams. Ending the iteration ends the run.
 */
export interface CandleFeed extends AsyncIterable<MarketCandle> {
  /** Symbols the feed delivers. */
  readonly symbols: readonly string[];
  /** Ask the feed to finish; pending iterations end promptly. */
  stop?(): void;
  /**
   * A synchronous iterator over the same candles, when they are available without waiting
   * (an unpaced replay); undefined otherwise. Lets backtests skip a promise per candle.
   */
  syncIterator?(): Iterable<MarketCandle> | undefined;
}

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
}

import { ConfigError, type Timeframe, isTimeframe, splitSymbol } from '@kairos/core';

/** Names one stored candle series: which venue, which market, which candle width. */
export interface SeriesKey {
  /** The ccxt id of the venue the candles came from, e.g. 'bybit'. */
  readonly exchange: string;
  readonly symbol: string;
  readonly timeframe: Timeframe;
}

const EXCHANGE_ID = /^[a-z0-9][a-z0-9_-]{0,39}$/;

/**
 * The folder of a series relative to the store root: `<exchange>/<BASE>_<QUOTE>/<tf>`.
 * Rejects ids and symbols that could escape the root or collide (`..`, slashes).
 */
export function seriesPath(key: SeriesKey): string {
  if (!EXCHANGE_ID.test(key.exchange)) throw new ConfigError('exchange', `'${key.exchange}' is not an exchange id like bybit`);
  const parts = splitSymbol(key.symbol);
  if (!parts) throw new ConfigError('symbol', `'${key.symbol}' is not a symbol like BTC/USDT`);
  if (!isTimeframe(key.timeframe)) throw new ConfigError('timeframe', `'${String(key.timeframe)}' is not a timeframe`);
  return `${key.exchange}/${parts.base}_${parts.quote}/${key.timeframe}`;
}

/** The UTC month a candle opens in, as 'YYYY-MM' (the store's file partition). */
export function monthOf(time: number): string {
  return new Date(time).toISOString().slice(0, 7);
}

/** Open time (ms) of the first instant of the UTC month after `month` ('YYYY-MM'). */
export function nextMonthStart(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return Date.UTC(y, m, 1); // month index m is the next month, zero-based
}

/** Open time (ms) of the first instant of `month` ('YYYY-MM'). */
export function monthStart(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return Date.UTC(y, m - 1, 1);
}

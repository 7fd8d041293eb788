import type { Candle, Ticker } from '@kairos/core';
import type { UniverseMarket } from './universe-source';

const DAY_MS = 86_400_000;

/** What the universe measured about one symbol; the JSON output prints these. */
export interface SymbolMetrics {
  readonly last: number;
  readonly bid?: number;
  readonly ask?: number;
  /** `1 − bid/ask`; undefined without a two-sided quote. */
  readonly spread?: number;
  /** 24h traded value in the quote currency (from the ticker, else base volume × last). */
  readonly quoteVolume: number;
  readonly priceStep: number;
  /** One price step as a share of the price (`priceStep / last`). */
  readonly lowPriceRatio: number;
  /** Days listed: from the venue's listing time, else the number of daily candles seen. */
  readonly ageDays?: number;
  /** Standard deviation of daily log returns over the configured window. */
  readonly volatility?: number;
}

/** Spread as a fraction: 0 for a locked book, undefined when a side is missing. */
export function spreadOf(bid: number | undefined, ask: number | undefined): number | undefined {
  if (bid === undefined || ask === undefined || !(ask > 0) || !(bid > 0)) return undefined;
  return Math.max(0, 1 - bid / ask);
}

/** Sample standard deviation of the log returns of the last `days + 1` closes; undefined if fewer. */
export function dailyVolatility(closes: readonly number[], days: number): number | undefined {
  if (closes.length < days + 1) return undefined;
  const tail = closes.slice(closes.length - days - 1);
  const r: number[] = [];
  for (let i = 1; i < tail.length; i++) r.push(Math.log((tail[i] as number) / (tail[i - 1] as number)));
  const mean = r.reduce((s, x) => s + x, 0) / r.length;
  return Math.sqrt(r.reduce((s, x) => s + (x - mean) ** 2, 0) / (r.length - 1));
}

/**
 * Builds a symbol's metrics from its market, ticker and (optional) daily candles, the
 * newest last. The daily candle still forming at `now` counts for age, not volatility.
 */
export function measureSymbol(market: UniverseMarket, ticker: Ticker, daily: readonly Candle[] | undefined, volatilityDays: number, now: number): SymbolMetrics {
  const spread = spreadOf(ticker.bid, ticker.ask);
  const quoteVolume = ticker.quoteVolume ?? (ticker.baseVolume ?? 0) * ticker.last;
  const closed = daily?.filter((c) => c.time + DAY_MS <= now).map((c) => c.close);
  const ageDays = market.listedAt !== undefined ? Math.floor((now - market.listedAt) / DAY_MS) : daily?.length;
  const volatility = closed ? dailyVolatility(closed, volatilityDays) : undefined;
  return {
    last: ticker.last,
    ...(ticker.bid !== undefined ? { bid: ticker.bid } : {}),
    ...(ticker.ask !== undefined ? { ask: ticker.ask } : {}),
    ...(spread !== undefined ? { spread } : {}),
    quoteVolume,
    priceStep: market.priceStep,
    lowPriceRatio: market.priceStep / ticker.last,
    ...(ageDays !== undefined ? { ageDays } : {}),
    ...(volatility !== undefined ? { volatility } : {}),
  };
}

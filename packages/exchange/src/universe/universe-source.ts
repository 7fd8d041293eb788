import type { Candle, FetchCandlesOptions, Ticker, Timeframe } from '@kairos/core';

/** A market as the universe sees it: enough to pick candidates and judge the tick size. */
export interface UniverseMarket {
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly spot: boolean;
  readonly active: boolean;
  /** Smallest price increment, in quote units. */
  readonly priceStep: number;
  /** When the venue says the market was listed (ms), if it says. */
  readonly listedAt?: number;
}

/**
 * Where the universe reads the exchange from. Small on purpose: a ccxt instance (see
 * {@link ccxtUniverseSource}), a `CcxtExchange`, fixtures or a fake all fit.
 */
export interface UniverseSource {
  readonly id: string;
  loadMarkets(): Promise<readonly UniverseMarket[]>;
  /** Tickers for many symbols in one call where the venue allows it. */
  fetchTickers(symbols: readonly string[]): Promise<Readonly<Record<string, Ticker>>>;
  /** Daily candles for listing age and volatility; without it those filters see no data. */
  fetchCandles?(symbol: string, timeframe: Timeframe, options?: FetchCandlesOptions): Promise<Candle[]>;
}

/** The part of a ccxt unified market the universe reads. */
export interface CcxtUniverseMarket {
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly spot?: boolean;
  readonly active?: boolean | null;
  readonly created?: number | null;
  readonly precision?: { readonly price?: number | null } | null;
}

/** The part of a ccxt exchange instance the universe calls. */
export interface CcxtUniverseClient {
  readonly id: string;
  /** ccxt's precision mode: 2 = decimal places, 4 = tick sizes. */
  readonly precisionMode?: number;
  loadMarkets(): Promise<Record<string, CcxtUniverseMarket>>;
  fetchTickers(symbols?: string[]): Promise<Record<string, { symbol: string; timestamp?: number | null; last?: number | null; close?: number | null; bid?: number | null; ask?: number | null; quoteVolume?: number | null; baseVolume?: number | null; percentage?: number | null }>>;
  fetchOHLCV(symbol: string, timeframe: string, since?: number, limit?: number): Promise<Array<Array<number | null | undefined>>>;
}

const DECIMAL_PLACES = 2;

/** Converts ccxt unified markets; `decimals` says the precision is in decimal places, not ticks. */
export function universeMarketsFromCcxt(markets: Readonly<Record<string, CcxtUniverseMarket>>, decimals: boolean): UniverseMarket[] {
  return Object.values(markets).map((m) => {
    const p = m.precision?.price;
    const priceStep = p === null || p === undefined ? Number.NaN : decimals ? Number(`1e-${p}`) : p;
    return {
      symbol: m.symbol,
      base: m.base,
      quote: m.quote,
      spot: m.spot === true,
      active: m.active !== false && m.active !== null,
      priceStep,
      ...(typeof m.created === 'number' ? { listedAt: m.created } : {}),
    };
  });
}

const opt = (v: number | null | undefined): number | undefined => (v === null || v === undefined || !Number.isFinite(v) ? undefined : v);

/**
 * Reads the universe from a ccxt exchange instance (REST). Tickers come in one
 * `fetchTickers` call; daily candles through `fetchOHLCV`.
 */
export function ccxtUniverseSource(client: CcxtUniverseClient): UniverseSource {
  return {
    id: client.id,
    async loadMarkets() {
      return universeMarketsFromCcxt(await client.loadMarkets(), client.precisionMode === DECIMAL_PLACES);
    },
    async fetchTickers(symbols) {
      const raw = await client.fetchTickers([...symbols]);
      const out: Record<string, Ticker> = {};
      for (const t of Object.values(raw)) {
        const last = opt(t.last) ?? opt(t.close);
        if (last === undefined) continue;
        const [bid, ask, quoteVolume, baseVolume, percentage] = [opt(t.bid), opt(t.ask), opt(t.quoteVolume), opt(t.baseVolume), opt(t.percentage)];
        out[t.symbol] = {
          symbol: t.symbol,
          time: opt(t.timestamp) ?? 0,
          last,
          ...(bid !== undefined ? { bid } : {}),
          ...(ask !== undefined ? { ask } : {}),
          ...(quoteVolume !== undefined ? { quoteVolume } : {}),
          ...(baseVolume !== undefined ? { baseVolume } : {}),
          ...(percentage !== undefined ? { percentage } : {}),
        };
      }
      return out;
    },
    async fetchCandles(symbol, timeframe, options = {}) {
      const rows = await client.fetchOHLCV(symbol, timeframe, options.since, options.limit);
      return rows.map(([time, open, high, low, close, volume]) => ({
        time: Number(time),
        open: Number(open),
        high: Number(high),
        low: Number(low),
        close: Number(close),
        volume: Number(volume ?? 0),
      }));
    },
  };
}

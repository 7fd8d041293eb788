import type { Candle, Order, OrderBook, Ticker, Timeframe } from '@kairos/core';
import type { CcxtOrder, CcxtOrderBook, CcxtTicker } from '../ccxt/ccxt-like';
import { toCandle, toOrder, toOrderBook, toTicker } from '../ccxt/normalize';
import type { CandleStream } from './stream-feed';

/** The websocket methods of a ccxt pro exchange instance (`new ccxt.pro.bybit()`). */
export interface CcxtProLike {
  readonly id: string;
  watchOHLCV(symbol: string, timeframe: string, since?: number, limit?: number): Promise<Array<Array<number | null | undefined>>>;
  watchTicker(symbol: string): Promise<CcxtTicker>;
  watchTickers(symbols?: string[]): Promise<Record<string, CcxtTicker>>;
  watchOrderBook(symbol: string, limit?: number): Promise<CcxtOrderBook>;
  watchOrders(symbol?: string): Promise<CcxtOrder[]>;
  close(): Promise<unknown>;
}

/**
 * Market streams in Kairos types. Each `watch…` resolves with the next update, as ccxt
 * pro does; callers loop on them (the {@link StreamFeed} does so for candles, with
 * reconnects and REST back-fill).
 */
export interface MarketStreams extends CandleStream {
  watchTicker(symbol: string): Promise<Ticker>;
  watchTickers(symbols: readonly string[]): Promise<Readonly<Record<string, Ticker>>>;
  watchOrderBook(symbol: string, depth?: number): Promise<OrderBook>;
  /** Updates of the account's orders (needs API keys). */
  watchOrders(symbol?: string): Promise<Order[]>;
  close(): Promise<void>;
}

/** Wraps a ccxt pro instance; `now` stamps updates that carry no time. */
export function ccxtMarketStreams(client: CcxtProLike, now: () => number = Date.now): MarketStreams {
  const id = client.id;
  return {
    async watchCandles(symbol: string, timeframe: Timeframe): Promise<Candle[]> {
      return (await client.watchOHLCV(symbol, timeframe)).map((row) => toCandle(id, row));
    },
    async watchTicker(symbol) {
      return toTicker(id, symbol, await client.watchTicker(symbol), now());
    },
    async watchTickers(symbols) {
      const raw = await client.watchTickers([...symbols]);
      const out: Record<string, Ticker> = {};
      for (const [symbol, t] of Object.entries(raw)) out[symbol] = toTicker(id, symbol, t, now());
      return out;
    },
    async watchOrderBook(symbol, depth) {
      return toOrderBook(id, symbol, await client.watchOrderBook(symbol, depth), now());
    },
    async watchOrders(symbol) {
      const at = now();
      return (await client.watchOrders(symbol)).map((o) => toOrder(id, o, { symbol: o.symbol ?? symbol ?? '', now: at }));
    },
    async close() {
      await client.close();
    },
  };
}

/**
 * Builds ccxt pro streams for an exchange id, or undefined when ccxt has no websocket
 * client for it (the feed then polls). `wsUrl` replaces every websocket URL (tests).
 */
export async function createMarketStreams(settings: { exchange: string; wsUrl?: string }): Promise<MarketStreams | undefined> {
  const mod = (await import('ccxt')) as unknown as { pro?: Record<string, unknown>; default?: { pro?: Record<string, unknown> } };
  const pro = mod.pro ?? mod.default?.pro;
  const Ctor = pro?.[settings.exchange];
  if (typeof Ctor !== 'function') return undefined;
  const client = new (Ctor as new (o: Record<string, unknown>) => CcxtProLike & { urls: Record<string, unknown> })({ enableRateLimit: true });
  if (settings.wsUrl !== undefined) {
    const replace = (v: unknown): unknown =>
      typeof v === 'string' ? settings.wsUrl : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replace(x)])) : v;
    const api = client.urls.api as Record<string, unknown> | undefined;
    if (api?.ws !== undefined) client.urls.api = { ...api, ws: replace(api.ws) };
  }
  return ccxtMarketStreams(client);
}

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Candle } from '@kairos/core';
import ccxt from 'ccxt';
import { loadCandleFile } from '../../src/data/candle-file';
import { type CcxtUniverseClient, type CcxtUniverseMarket, type UniverseSource, ccxtUniverseSource, universeMarketsFromCcxt } from '../../src/universe/universe-source';
import { type BybitServer, bybitApiUrls, start } from '../support/bybit-server';

const DATA = fileURLToPath(new URL('../../../../data/', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** "Now" of the scenario: all bundled 1h series cover it. */
export const NOW = Date.UTC(2024, 8, 5);
const DAY = 86_400_000;

/**
 * Price paths served for the seven Bybit spot markets, each a real bundled 1h series,
 * some altered to exercise one filter each:
 * - BTC, ETH, XRP, DOGE: the real series (DOGE is on the meme list)
 * - ADA: SOL's series with volume cut 100 000-fold (thin: fails min volume)
 * - LTC: JASMY's series (~0.02 USDT against LTC's 0.01 tick: huge spread, coarse tick)
 * - TRX: WIF's series from 2024-07-20 only (a 47-day-old listing)
 */
export async function scenarioCandles(): Promise<Record<string, Candle[]>> {
  // 80 days: more than the 61 daily candles the default chain looks back on.
  const load = async (name: string) => (await loadCandleFile(`${DATA}${name}-1h.csv`)).candles.filter((c) => c.time >= NOW - 80 * DAY && c.time < NOW + DAY);
  return {
    BTCUSDT: await load('BTC_USDT'),
    ETHUSDT: await load('ETH_USDT'),
    XRPUSDT: await load('XRP_USDT'),
    DOGEUSDT: await load('DOGE_USDT'),
    ADAUSDT: (await load('SOL_USDT')).map((c) => ({ ...c, volume: c.volume / 100_000 })),
    LTCUSDT: await load('JASMY_USDT'),
    TRXUSDT: (await load('WIF_USDT')).filter((c) => c.time >= Date.UTC(2024, 6, 20)),
  };
}

export interface Scenario {
  readonly server: BybitServer;
  /** A real ccxt bybit instance pointed at the local server. */
  readonly client: InstanceType<typeof ccxt.bybit>;
  readonly candles: Record<string, Candle[]>;
  stop(): Promise<void>;
}

/** Starts the local Bybit server on the scenario's candles and a ccxt bybit client for it. */
export async function startScenario(now = NOW): Promise<Scenario> {
  const candles = await scenarioCandles();
  const server = await start({ candles, candleIntervalMs: 3_600_000, clock: { now: () => now } });
  const client = new ccxt.bybit({ options: { fetchMarkets: { types: ['spot'] } } });
  client.urls.api = bybitApiUrls(server.url);
  return { server, client, candles, stop: () => server.stop() };
}

/** ccxt's static market fixture of a venue, converted for the universe. */
export async function fixtureMarkets(venue: 'bybit' | 'binance') {
  const path = venue === 'bybit' ? `${FIXTURES}ccxt-bybit-markets.json` : `${DATA}markets/binance-spot-sample.json`;
  const raw = JSON.parse(await readFile(path, 'utf8')) as Record<string, CcxtUniverseMarket>;
  // ccxt's static Binance fixture gives precision in decimal places; Bybit's in tick sizes.
  return universeMarketsFromCcxt(raw, venue === 'binance');
}

/** Markets from a ccxt fixture, tickers and candles from ccxt against the local server. */
export async function fixtureSource(venue: 'bybit' | 'binance', client: CcxtUniverseClient): Promise<UniverseSource> {
  const markets = await fixtureMarkets(venue);
  const live = ccxtUniverseSource(client);
  return { ...live, id: venue, loadMarkets: async () => markets };
}

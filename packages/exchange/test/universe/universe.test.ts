import { MemoryTradeStore } from '@kairos/core';
import ccxt from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCandleFile } from '../../src/data/candle-file';
import { type BuildUniverseOptions, buildUniverse } from '../../src/universe/build-universe';
import { type UniverseConfigInput, parseUniverseConfig } from '../../src/universe/universe-config';
import { UniverseMemory } from '../../src/universe/universe-memory';
import { type UniverseSource, ccxtUniverseSource } from '../../src/universe/universe-source';
import { bybitApiUrls } from '../support/bybit-server';
import { NOW, type Scenario, fixtureMarkets, fixtureSource, startScenario } from './scenario';

let s: Scenario;
let bybit: UniverseSource;
let binance: UniverseSource;
beforeAll(async () => {
  s = await startScenario();
  bybit = await fixtureSource('bybit', s.client as never);
  binance = await fixtureSource('binance', s.client as never);
});
afterAll(() => s.stop());

const run = (source: UniverseSource, config: UniverseConfigInput, extra: Partial<BuildUniverseOptions> = {}) =>
  buildUniverse({ source, config: parseUniverseConfig(config), now: () => NOW, ...extra });
const sorted = (xs: readonly string[]) => [...xs].sort();
const ALL = ['ADA/USDT', 'BTC/USDT', 'DOGE/USDT', 'ETH/USDT', 'LTC/USDT', 'TRX/USDT', 'XRP/USDT'];

describe('universe candidates from ccxt market fixtures', () => {
  it('keeps only spot, active, USDT-quoted markets (swaps, inverse, options and futures go)', async () => {
    for (const venue of ['bybit', 'binance'] as const) {
      const markets = await fixtureMarkets(venue);
      expect(markets.length, `${venue} fixture holds derivatives too`).toBeGreaterThan(15);
      const r = await run(venue === 'bybit' ? bybit : binance, { filters: [] });
      expect(r.source).toBe('exchange');
      expect(r.candidates).toBe(7);
      expect(sorted(r.tradable), venue).toEqual(ALL);
    }
  });

  it('drops an inactive market and markets in another quote', async () => {
    const markets = (await fixtureMarkets('bybit')).map((m) => (m.symbol === 'XRP/USDT' ? { ...m, active: false } : m));
    const r = await run({ ...bybit, loadMarkets: async () => markets }, { filters: [] });
    expect(sorted(r.tradable)).toEqual(ALL.filter((x) => x !== 'XRP/USDT'));
    expect((await run(bybit, { quote: 'USDC', filters: [] })).tradable).toEqual([]);
  });
});

describe('each filter, alone, on Bybit markets with tickers from the local server', () => {
  const cases: Array<[string, UniverseConfigInput['filters'], string[]]> = [
    ['minQuoteVolume 5M drops the thin ADA', [{ kind: 'minQuoteVolume', min: 5_000_000 }], ['ADA/USDT']],
    ['maxSpread 0.1% drops LTC (a 0.02 price against a 0.01 tick)', [{ kind: 'maxSpread', max: 0.001 }], ['LTC/USDT']],
    ['price range [0.05, 10000] drops BTC (too high) and LTC (too low)', [{ kind: 'price', min: 0.05, max: 10_000 }], ['BTC/USDT', 'LTC/USDT']],
    ['low-price ratio 0.005% drops coarse ticks', [{ kind: 'price', lowPriceRatio: 0.000_05 }], ['DOGE/USDT', 'LTC/USDT', 'TRX/USDT', 'XRP/USDT']],
    ['min age 50 days drops TRX (listed 47 days ago)', [{ kind: 'minAge', days: 50 }], ['TRX/USDT']],
    ['volatility at most 5% drops the wild TRX', [{ kind: 'volatility', days: 14, max: 0.05 }], ['TRX/USDT']],
    ['volatility at least 2.5% drops the calm XRP', [{ kind: 'volatility', days: 14, min: 0.025 }], ['XRP/USDT']],
  ];
  for (const [name, filters, dropped] of cases) {
    it(name, async () => {
      const r = await run(bybit, { filters });
      expect(sorted(r.rejected.map((x) => x.symbol))).toEqual(dropped);
      expect(sorted(r.tradable)).toEqual(ALL.filter((x) => !dropped.includes(x)));
      expect(new Set(r.rejected.map((x) => x.filter))).toEqual(new Set([filters?.[0]?.kind]));
    });
  }

  it('the Binance fixture has finer ticks, so the same low-price rule keeps TRX there', async () => {
    const r = await run(binance, { filters: [{ kind: 'price', lowPriceRatio: 0.000_05 }] });
    expect(sorted(r.rejected.map((x) => x.symbol))).toEqual(['DOGE/USDT', 'LTC/USDT', 'XRP/USDT']);
    const trx = r.groups.risky.concat(r.groups.top, r.groups.other).find((x) => x.symbol === 'TRX/USDT');
    expect(trx?.metrics.priceStep, 'Binance TRX price precision is 5 decimals').toBe(0.000_01);
  });

  it('stops at the first failing filter of the chain, in chain order', async () => {
    const r = await run(bybit, { filters: [{ kind: 'price', lowPriceRatio: 0.01 }, { kind: 'maxSpread', max: 0.001 }] });
    expect(r.rejected).toEqual([{ symbol: 'LTC/USDT', filter: 'price', reason: 'one price step is 53.476% of the price (> 1.000%)' }]);
  });
});

describe('ranking, groups and metrics', () => {
  it('default chain: ranks by 24h quote volume and classifies top, memes and risky as documented', async () => {
    const r = await run(bybit, {});
    expect(r.tradable, 'most liquid first').toEqual(['BTC/USDT', 'ETH/USDT', 'TRX/USDT', 'XRP/USDT', 'DOGE/USDT']);
    expect(r.groups.top.map((x) => x.symbol)).toEqual(['BTC/USDT', 'ETH/USDT', 'XRP/USDT']);
    expect(r.groups.memes.map((x) => [x.symbol, x.why])).toEqual([['DOGE/USDT', ['on the meme list']]]);
    expect(r.groups.risky.map((x) => [x.symbol, x.why])).toEqual([['TRX/USDT', ['new listing']]]);
    expect(sorted(r.rejected.map((x) => `${x.symbol}:${x.filter}`))).toEqual(['ADA/USDT:minQuoteVolume', 'LTC/USDT:maxSpread']);
    const qv = r.groups.top.map((x) => x.metrics.quoteVolume);
    expect(qv[0]).toBeGreaterThan(qv[1] as number);
  });

  it('measures metrics that agree with the raw candles the server was given', async () => {
    const r = await run(bybit, { filters: [] });
    const btc = r.groups.top.find((x) => x.symbol === 'BTC/USDT')?.metrics;
    const closed = s.candles.BTCUSDT?.filter((c) => c.time + 3_600_000 <= NOW) ?? [];
    expect(btc?.last, 'last price = close of the last closed candle').toBe(closed.at(-1)?.close);
    // The server's 24h turnover sums candles opening in [now − 24h, now] (its documented window).
    const day = s.candles.BTCUSDT?.filter((c) => c.time >= NOW - 86_400_000 && c.time <= NOW) ?? [];
    expect(btc?.quoteVolume).toBeCloseTo(day.reduce((a, c) => a + c.volume * c.close, 0), 2);
    expect(btc?.spread).toBeCloseTo(1 - (btc?.last as number) / ((btc?.last as number) + 0.1), 12);
    // Daily closes from the raw 1h CSV: the close of each day's 23:00 candle.
    const raw = (await loadCandleFile(new URL('../../../../data/BTC_USDT-1h.csv', import.meta.url).pathname)).candles;
    const closes = raw.filter((c) => c.time < NOW && new Date(c.time).getUTCHours() === 23).slice(-15).map((c) => c.close);
    const rets = closes.slice(1).map((c, i) => Math.log(c / (closes[i] as number)));
    const mean = rets.reduce((a, x) => a + x, 0) / rets.length;
    const sd = Math.sqrt(rets.reduce((a, x) => a + (x - mean) ** 2, 0) / (rets.length - 1));
    expect(btc?.volatility).toBeCloseTo(sd, 12);
  });

  it('caps the tradable list at maxSymbols and the top group at its count', async () => {
    const r = await run(bybit, { filters: [], maxSymbols: 4, groups: { top: { count: 1 } } });
    expect(r.tradable).toEqual(['BTC/USDT', 'ETH/USDT', 'TRX/USDT', 'XRP/USDT']);
    expect(r.groups.top.map((x) => x.symbol)).toEqual(['BTC/USDT']);
    expect(r.groups.other.map((x) => x.symbol)).toEqual(['ETH/USDT', 'XRP/USDT']);
  });
});

describe('memory and fallback', () => {
  it('remembers a problematic symbol with its reason and TTL, skips it, then retries it', async () => {
    let now = NOW;
    const store = new MemoryTradeStore({ now: () => now });
    const memory = new UniverseMemory(store, 'bybit', () => now);
    const failing: UniverseSource = {
      ...bybit,
      fetchCandles: async (symbol, tf, o) => {
        if (symbol === 'XRP/USDT') throw new Error('kline endpoint error');
        return (bybit.fetchCandles as NonNullable<UniverseSource['fetchCandles']>)(symbol, tf, o);
      },
    };
    const first = await run(failing, { filters: [], problemTtlMs: 3_600_000 }, { memory, now: () => now });
    expect(first.problems).toEqual([{ symbol: 'XRP/USDT', kind: 'problematic', reason: 'daily candles unavailable: kline endpoint error', until: NOW + 3_600_000 }]);
    expect(first.tradable).not.toContain('XRP/USDT');
    expect((await memory.lastTradable())?.symbols).toEqual(first.tradable);

    now += 1_800_000;
    const second = await run(bybit, { filters: [], problemTtlMs: 3_600_000 }, { memory, now: () => now });
    expect(second.skipped.map((p) => p.symbol), 'still within its TTL').toEqual(['XRP/USDT']);
    expect(second.tradable).not.toContain('XRP/USDT');

    now += 3_600_000;
    const third = await run(bybit, { filters: [], problemTtlMs: 3_600_000 }, { memory, now: () => now });
    expect(third.skipped).toEqual([]);
    expect(third.tradable).toContain('XRP/USDT');
  });

  it('falls back to the configured list when the exchange cannot be reached, and says why', async () => {
    const offline = new ccxt.bybit({ timeout: 3_000, options: { fetchMarkets: { types: ['spot'] } } });
    offline.urls.api = bybitApiUrls('http://127.0.0.1:9');
    const r = await run(ccxtUniverseSource(offline as never), { fallbackSymbols: ['BTC/USDT', 'ETH/USDT'] });
    expect(r.source).toBe('configured');
    expect(r.fallbackReason).toMatch(/ECONNREFUSED|fetch failed|bybit/);
    expect(r.tradable).toEqual(['BTC/USDT', 'ETH/USDT']);

    const memory = new UniverseMemory(new MemoryTradeStore({ now: () => NOW }), 'bybit', () => NOW);
    await memory.saveTradable(['SOL/USDT'], 86_400_000);
    const r2 = await run(ccxtUniverseSource(offline as never), {}, { memory });
    expect(r2.source, 'a remembered list beats the configured one').toBe('remembered');
    expect(r2.tradable).toEqual(['SOL/USDT']);
  });
});

import { fileURLToPath } from 'node:url';
import type { Candle, CandleFeed, MarketCandle, Timeframe } from '@kairos/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCandleFile } from '../../src/data/candle-file';
import { createMarketStreams } from '../../src/feeds/ccxt-market-streams';
import { PollingFeed } from '../../src/feeds/polling-feed';
import { type CandleStream, StreamFeed, type StreamFeedEvent } from '../../src/feeds/stream-feed';
import { PagedCandleSource } from '../history/paged-candle-source';

const DATA = fileURLToPath(new URL('../../../../data/', import.meta.url));
const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 2, 1); // the feeds start after the candle opening here

let series: Record<string, Candle[]>;
beforeAll(async () => {
  series = {
    'BTC/USDT': (await loadCandleFile(`${DATA}BTC_USDT-1h.csv`)).candles,
    'ETH/USDT': (await loadCandleFile(`${DATA}ETH_USDT-1h.csv`)).candles,
  };
});

/** Virtual time: sleeping moves the clock, so hours of feed run in milliseconds. */
function virtualClock(start: number) {
  const clock = { t: start, now: () => clock.t, sleep: async (ms: number) => void (clock.t += Math.max(ms, 1)) };
  return clock;
}

/** REST that, like a venue, only knows candles that opened before now. */
function restAt(clock: { now(): number }) {
  const inner = new PagedCandleSource(series);
  return {
    inner,
    fetchCandles: async (symbol: string, tf: Timeframe, o?: { since?: number; limit?: number }) =>
      (await inner.fetchCandles(symbol, tf, o)).filter((c) => c.time <= clock.now()),
  };
}

async function take(feed: CandleFeed, n: number): Promise<MarketCandle[]> {
  const out: MarketCandle[] = [];
  for await (const c of feed) {
    out.push(c);
    if (out.length >= n) feed.stop?.();
  }
  return out;
}

const expected = (symbol: string, n: number) => (series[symbol] as Candle[]).filter((c) => c.time > T0).slice(0, n);

describe('PollingFeed', () => {
  it('delivers each closed candle once, in time order across symbols, and back-fills after errors', async () => {
    const clock = virtualClock(T0 + 2 * HOUR - 1); // the candle after T0 is still forming
    const rest = restAt(clock);
    rest.inner.failOn.set(3, true);
    rest.inner.failOn.set(4, false);
    const errors: string[] = [];
    const feed = new PollingFeed({ rest, symbols: ['BTC/USDT', 'ETH/USDT'], timeframe: '1h', after: T0, ...clock, onError: (e, s) => errors.push(`${s}: ${(e as Error).message}`) });
    const got = await take(feed, 40);
    expect(errors.length, 'two requests failed').toBe(2);
    for (const symbol of ['BTC/USDT', 'ETH/USDT']) {
      expect(got.filter((c) => c.symbol === symbol).map((c) => c.candle), symbol).toEqual(expected(symbol, 20));
    }
    const times = got.map((c) => c.candle.time);
    expect(times, 'time order across symbols').toEqual([...times].sort((a, b) => a - b));
  });

  it('never delivers a candle before it closed', async () => {
    const clock = virtualClock(T0 + HOUR);
    const seenAt: Array<[number, number]> = [];
    const feed = new PollingFeed({ rest: restAt(clock), symbols: ['BTC/USDT'], timeframe: '1h', after: T0, settleMs: 0, ...clock });
    for await (const c of feed) {
      seenAt.push([c.candle.time, clock.now()]);
      if (seenAt.length >= 10) feed.stop();
    }
    for (const [open, at] of seenAt) expect(at).toBeGreaterThanOrEqual(open + HOUR);
  });
});

/**
 * A scripted websocket: each update moves time on by 20 minutes and shows the last
 * three candles that have opened, the newest still forming. Chosen calls fail as a
 * dropped connection would, or say the stream is not supported.
 */
function fakeStream(clock: { t: number }, fail: (call: number) => 'drop' | 'unsupported' | undefined): CandleStream & { calls: number } {
  const s = {
    calls: 0,
    async watchCandles(symbol: string): Promise<Candle[]> {
      s.calls++;
      clock.t += 20 * 60_000;
      const mode = fail(s.calls);
      if (mode === 'unsupported') throw Object.assign(new Error('bybit watchOHLCV() is not supported yet'), { name: 'NotSupported' });
      if (mode === 'drop') throw new Error('connection closed by remote server, closing code 1006');
      const open = (series[symbol] as Candle[]).filter((c) => c.time <= clock.t);
      return open.slice(-3);
    },
  };
  return s;
}

describe('StreamFeed', () => {
  it('delivers closed candles from the stream, reconnects after drops and back-fills the hole over REST', async () => {
    const clock = virtualClock(T0 + HOUR + 1);
    // Calls 10–14 drop (about 1h40 of silence, more than one candle), then the stream recovers.
    const stream = fakeStream(clock, (n) => (n >= 10 && n < 15 ? 'drop' : undefined));
    const events: StreamFeedEvent[] = [];
    const rest = restAt(clock);
    const feed = new StreamFeed({ streams: stream, rest, symbols: ['BTC/USDT'], timeframe: '1h', after: T0, ...clock, baseDelayMs: 60_000, maxFailures: 10, onEvent: (e) => events.push(e) });
    const got = await take(feed, 24);
    expect(got.map((c) => c.candle), 'complete and in order despite the drops').toEqual(expected('BTC/USDT', 24));
    expect(events.filter((e) => e.type === 'disconnected').length).toBe(5);
    expect(events.some((e) => e.type === 'backfilled' && e.candles > 0), 'the missed candles came over REST').toBe(true);
    expect(events.some((e) => e.type === 'fallback')).toBe(false);
  });

  it('falls back to polling after too many failures in a row, without losing candles', async () => {
    const clock = virtualClock(T0 + HOUR + 1);
    const stream = fakeStream(clock, (n) => (n >= 4 ? 'drop' : undefined));
    const events: StreamFeedEvent[] = [];
    const feed = new StreamFeed({ streams: stream, rest: restAt(clock), symbols: ['BTC/USDT', 'ETH/USDT'], timeframe: '1h', after: T0, ...clock, maxFailures: 3, baseDelayMs: 1_000, onEvent: (e) => events.push(e) });
    const got = await take(feed, 30);
    for (const symbol of ['BTC/USDT', 'ETH/USDT']) {
      const mine = got.filter((c) => c.symbol === symbol).map((c) => c.candle);
      expect(mine, symbol).toEqual(expected(symbol, mine.length));
    }
    expect(events.filter((e) => e.type === 'fallback').map((e) => (e as { reason: string }).reason)).toEqual(['3 failures in a row', '3 failures in a row']);
  });

  it('polls at once when streams are unavailable or not supported', async () => {
    for (const streams of [undefined, fakeStream(virtualClock(0), () => 'unsupported')]) {
      const clock = virtualClock(T0 + HOUR + 1);
      const events: StreamFeedEvent[] = [];
      const feed = new StreamFeed({ streams, rest: restAt(clock), symbols: ['ETH/USDT'], timeframe: '1h', after: T0, ...clock, onEvent: (e) => events.push(e) });
      const got = await take(feed, 12);
      expect(got.map((c) => c.candle)).toEqual(expected('ETH/USDT', 12));
      expect(events.filter((e) => e.type === 'fallback').length).toBe(1);
    }
  });

  it('ccxt ships a websocket client for bybit (the default streams factory finds it)', async () => {
    const streams = await createMarketStreams({ exchange: 'bybit', wsUrl: 'ws://127.0.0.1:9/v5/public/spot' });
    expect(streams).toBeDefined();
    await streams?.close();
    expect(await createMarketStreams({ exchange: 'no-such-venue' })).toBeUndefined();
  });
});

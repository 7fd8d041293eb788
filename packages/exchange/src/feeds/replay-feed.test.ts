import type { Candle, MarketCandle } from '@kairos/core';
import { describe, expect, it } from 'vitest';
import { ReplayFeed } from './replay-feed';

const H = 3_600_000;
const c = (i: number): Candle => ({ time: i * H, open: 1, high: 1, low: 1, close: 1, volume: 1 });

async function collect(feed: ReplayFeed, limit = Infinity): Promise<MarketCandle[]> {
  const out: MarketCandle[] = [];
  for await (const mc of feed) {
    out.push(mc);
    if (out.length >= limit) feed.stop();
  }
  return out;
}

describe('ReplayFeed', () => {
  it('merges symbols in time order, ties by symbol order, within from/to', async () => {
    const feed = new ReplayFeed({ timeframe: '1h', series: { 'A/USDT': [c(0), c(1), c(3)], 'B/USDT': [c(1), c(2)] }, from: H });
    const seen = (await collect(feed)).map((m) => `${m.symbol}@${m.candle.time / H}`);
    expect(seen).toEqual(['A/USDT@1', 'B/USDT@1', 'B/USDT@2', 'A/USDT@3']);
  });

  it('paces by market time and stops promptly', async () => {
    const waits: number[] = [];
    const feed = new ReplayFeed({
      timeframe: '1h',
      series: { 'A/USDT': [c(0), c(1), c(2), c(3)] },
      speed: 3600,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    const out = await collect(feed, 2);
    expect(out).toHaveLength(2);
    expect(waits, 'one hour of market time at 3600x is one second').toEqual([1000]);
  });
});

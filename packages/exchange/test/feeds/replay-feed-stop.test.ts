import type { Candle } from '@kairos/core';
import { describe, expect, it } from 'vitest';
import { ReplayFeed } from '../../src/feeds/replay-feed';

const H = 3_600_000;
const c = (i: number): Candle => ({ time: i * H, open: 1, high: 1, low: 1, close: 1, volume: 1 });

/** Pending timers of this process: a leftover one keeps a stopped bot alive until it fires. */
const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('ReplayFeed stop while paced', () => {
  it('ends the iteration within 100 ms when the next candle is 60 s away, and clears the wait timer', async () => {
    // One hour of market time at 60x is a 60 s wait (the cap) before the second candle.
    const feed = new ReplayFeed({ timeframe: '1h', series: { 'A/USDT': [c(0), c(1), c(2)] }, speed: 60 });
    const iter = feed[Symbol.asyncIterator]();
    expect((await iter.next()).done).toBe(false);
    const before = timers();
    const next = iter.next();
    await tick();
    expect(timers(), 'the wait for the second candle is a timer').toBe(before + 1);
    const t0 = performance.now();
    feed.stop();
    expect((await next).done, 'no candle after stop').toBe(true);
    expect(performance.now() - t0).toBeLessThan(100);
    expect(timers(), 'nothing left to keep the event loop alive').toBe(before);
  });

  it('also ends promptly across several symbols and when stopped before the wait begins', async () => {
    const feed = new ReplayFeed({ timeframe: '1h', series: { 'A/USDT': [c(0), c(2)], 'B/USDT': [c(1)] }, speed: 1 });
    const before = timers();
    const iter = feed[Symbol.asyncIterator]();
    expect((await iter.next()).value?.symbol).toBe('A/USDT');
    feed.stop();
    const t0 = performance.now();
    expect((await iter.next()).done).toBe(true);
    expect(performance.now() - t0).toBeLessThan(100);
    await tick();
    expect(timers()).toBe(before);
  });
});

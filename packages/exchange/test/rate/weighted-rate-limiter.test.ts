import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRateLimitStore, type RateLimitStore, RedisRateLimitStore, VirtualTime, WeightedRateLimiter } from '../../src';

/** Largest number of units granted in any window [t, t + windowMs). */
function worstWindow(grants: Array<{ time: number; cost: number }>, windowMs: number): number {
  let worst = 0;
  for (const g of grants) {
    const sum = grants.filter((h) => h.time >= g.time && h.time < g.time + windowMs).reduce((s, h) => s + h.cost, 0);
    worst = Math.max(worst, sum);
  }
  return worst;
}

async function hammer(limiters: WeightedRateLimiter[], time: VirtualTime, perTask: number): Promise<Array<{ time: number; cost: number }>> {
  const grants: Array<{ time: number; cost: number }> = [];
  await Promise.all(
    Array.from({ length: 6 }, async (_, task) => {
      const limiter = limiters[task % limiters.length] as WeightedRateLimiter;
      for (let i = 0; i < perTask; i++) {
        const cost = 1 + ((task + i) % 3);
        await limiter.acquire(cost);
        grants.push({ time: time.now(), cost });
      }
    }),
  );
  return grants;
}

describe('WeightedRateLimiter on a memory store', () => {
  it('never grants more than the limit in any window, and keeps the budget busy', async () => {
    const time = new VirtualTime({ start: 1_000_000 });
    const store = new MemoryRateLimitStore();
    const limiter = new WeightedRateLimiter({ key: 'x', limit: 10, windowMs: 1000 }, store, time);
    const grants = await hammer([limiter], time, 20);
    const total = grants.reduce((s, g) => s + g.cost, 0);
    expect(grants).toHaveLength(120);
    expect(worstWindow(grants, 1000), 'units in any 1 s window').toBeLessThanOrEqual(10);
    // 240 units at 10 per second need about 23 s; a limiter that idles would take far longer.
    const elapsed = time.now() - 1_000_000;
    expect(elapsed).toBeGreaterThanOrEqual(((total - 10) / 10) * 1000);
    expect(elapsed).toBeLessThan((total / 10) * 1000 * 1.5);
  });

  it('fails with a retryable EXCHANGE_RATE_LIMITED when the wait would exceed maxWaitMs', async () => {
    const time = new VirtualTime({ start: 0 });
    const limiter = new WeightedRateLimiter({ key: 'y', limit: 2, windowMs: 60_000, maxWaitMs: 1000 }, new MemoryRateLimitStore(), time);
    await limiter.acquire(2);
    await expect(limiter.acquire(1)).rejects.toMatchObject({ code: 'EXCHANGE_RATE_LIMITED', retryable: true });
  });

  it('names the bad key of a wrong config', () => {
    expect(() => new WeightedRateLimiter({ key: 'z', limit: -1 }, new MemoryRateLimitStore(), new VirtualTime())).toThrow(/rateLimit\.limit/);
  });
});

describe('WeightedRateLimiter on Redis (one budget for several processes)', () => {
  const prefix = `kairos-test:${process.pid}:${Date.now()}:`;
  let a: Redis;
  let b: Redis;
  beforeAll(() => {
    a = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: false, maxRetriesPerRequest: 1 });
    b = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: false, maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    const keys = await a.keys(`${prefix}*`);
    if (keys.length > 0) await a.del(...keys);
    a.disconnect();
    b.disconnect();
  });

  it('shares the window between two clients and stays under the limit', async () => {
    const limiters: WeightedRateLimiter[] = [];
    const time = new VirtualTime({ start: 5_000_000, isBusy: () => limiters.some((l) => l.busy) });
    const stores: RateLimitStore[] = [new RedisRateLimitStore(a, prefix), new RedisRateLimitStore(b, prefix)];
    for (const s of stores) limiters.push(new WeightedRateLimiter({ key: 'bybit:shared', limit: 8, windowMs: 1000 }, s, time));
    const grants = await hammer(limiters, time, 8);
    expect(grants).toHaveLength(48);
    expect(worstWindow(grants, 1000), 'two "processes", one budget').toBeLessThanOrEqual(8);
    const total = grants.reduce((s, g) => s + g.cost, 0);
    expect(time.now() - 5_000_000, 'each client alone would have let twice as much through').toBeGreaterThanOrEqual(((total - 8) / 8) * 1000);
    expect(await a.exists(`${prefix}bybit:shared`)).toBe(1);
  });
});

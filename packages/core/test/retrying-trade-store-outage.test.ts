import { afterEach, describe, expect, it, vi } from 'vitest';
import { KairosError, MemoryTradeStore, RetryingTradeStore } from '../src';
import { makeStoredOrder } from '../src/testing/trade-store-fixtures';

/** A store unreachable until the wall clock (faked below) reaches `backAt`. */
class AwayUntil extends MemoryTradeStore {
  constructor(private readonly backAt: number) {
    super();
  }
  override async getOrder(cid: string): ReturnType<MemoryTradeStore['getOrder']> {
    if (Date.now() < this.backAt) throw new KairosError('STORE_ERROR', 'redis getOrder failed: connection lost', { retryable: true });
    return super.getOrder(cid);
  }
}

describe('RetryingTradeStore through a long outage (seen: reads gave up after 10 s and the bot exited 1)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits out a 25 s outage on a read with the default options (virtual time) instead of throwing', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = Date.now();
    const inner = new AwayUntil(t0 + 25_000);
    await inner.saveOrder(makeStoredOrder({ clientOrderId: 'c-1' }));
    // Each backoff wait moves the faked wall clock on by its length: 25 s pass in microseconds.
    const store = new RetryingTradeStore(inner, { sleep: async (ms) => void vi.setSystemTime(Date.now() + ms) });
    const order = await store.getOrder('c-1');
    expect(order?.clientOrderId).toBe('c-1');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(25_000);
    expect(store.isHealthy).toBe(true);
  });
});

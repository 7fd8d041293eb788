import { describe, expect, it } from 'vitest';
import { KairosError, MemoryTradeStore, RetryingTradeStore, TradingGate } from '../src';
import { makeStoredOrder } from '../src/testing/trade-store-fixtures';

/** A memory store that fails its next `failures` calls with the given error. */
class FlakyStore extends MemoryTradeStore {
  failures = 0;
  calls = 0;
  error: unknown = new KairosError('STORE_ERROR', 'connection lost', { retryable: true });
  override async saveOrder(o: Parameters<MemoryTradeStore['saveOrder']>[0]): Promise<void> {
    this.calls += 1;
    if (this.failures > 0) {
      this.failures -= 1;
      throw this.error;
    }
    return super.saveOrder(o);
  }
  override async getOrder(cid: string): ReturnType<MemoryTradeStore['getOrder']> {
    this.calls += 1;
    if (this.failures > 0) {
      this.failures -= 1;
      throw this.error;
    }
    return super.getOrder(cid);
  }
}

describe('RetryingTradeStore', () => {
  it('retries retryable failures with doubling waits and reports health to a gate', async () => {
    const inner = new FlakyStore();
    const gate = new TradingGate({});
    const waits: number[] = [];
    const store = new RetryingTradeStore(inner, {
      baseDelayMs: 10,
      maxDelayMs: 40,
      sleep: async (ms) => {
        waits.push(ms);
        expect(gate.allows('entry'), 'entries blocked while failing').toBe(false);
      },
      onHealthChange: (ok) => (ok ? gate.unblock('store') : gate.block('store')),
    });
    inner.failures = 4;
    await store.saveOrder(makeStoredOrder());
    expect(waits).toEqual([10, 20, 40, 40]);
    expect(inner.calls).toBe(5);
    expect(gate.allows('entry')).toBe(true);
    expect((await store.getOrder('c-1'))?.clientOrderId).toBe('c-1');
  });

  it('passes non-retryable errors through at once', async () => {
    const inner = new FlakyStore();
    inner.failures = 1;
    inner.error = new KairosError('STORE_ERROR', 'corrupt', { retryable: false });
    const store = new RetryingTradeStore(inner, { sleep: async () => undefined });
    await expect(store.saveOrder(makeStoredOrder())).rejects.toThrow('corrupt');
    expect(inner.calls).toBe(1);
    expect(store.isHealthy, 'a non-retryable error says nothing about availability').toBe(true);
  });

  it('gives reads up after their timeout', async () => {
    const inner = new FlakyStore();
    inner.failures = 1_000;
    const store = new RetryingTradeStore(inner, { baseDelayMs: 5, maxDelayMs: 5, readTimeoutMs: 30 });
    await expect(store.getOrder('x')).rejects.toThrow('connection lost');
    expect(store.isHealthy).toBe(false);
  });
});

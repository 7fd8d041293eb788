import { describe, expect, it } from 'vitest';
import { CircuitBreaker, VirtualTime, backoffDelay } from '../../src';

describe('CircuitBreaker', () => {
  it('opens after consecutive failures, pauses entries, half-opens after the pause and closes on success', () => {
    const time = new VirtualTime({ start: 0 });
    const cb = new CircuitBreaker(time, { failureThreshold: 3, openMs: 10_000 });
    cb.recordFailure('x');
    cb.recordFailure('x');
    cb.recordSuccess();
    cb.recordFailure('x');
    cb.recordFailure('x');
    expect(cb.state, 'a success resets the count').toBe('closed');
    cb.recordFailure('x');
    expect(cb.state).toBe('open');
    expect(() => cb.assertEntriesAllowed('bybit')).toThrow(expect.objectContaining({ code: 'EXCHANGE_UNAVAILABLE', retryable: true }));
    time.advanceBy(9_999);
    expect(cb.allowsEntries()).toBe(false);
    time.advanceBy(1);
    expect(cb.state).toBe('half-open');
    cb.recordSuccess();
    expect(cb.state).toBe('closed');
  });

  it('pauses longer when the probe fails, up to the maximum', () => {
    const time = new VirtualTime({ start: 0 });
    const cb = new CircuitBreaker(time, { failureThreshold: 1, openMs: 10_000, maxOpenMs: 25_000 });
    cb.recordFailure('x');
    time.advanceBy(10_000);
    cb.recordFailure('probe');
    time.advanceBy(19_999);
    expect(cb.state, 'second pause is 20 s').toBe('open');
    time.advanceBy(1);
    cb.recordFailure('probe');
    time.advanceBy(25_000);
    expect(cb.state, 'third pause capped at 25 s').toBe('half-open');
  });

  it('trips until an announced end of maintenance', () => {
    const time = new VirtualTime({ start: 1000 });
    const cb = new CircuitBreaker(time);
    cb.tripUntil(91_000, 'maintenance');
    time.advanceBy(89_000);
    expect(cb.state).toBe('open');
    time.advanceBy(1_000);
    expect(cb.state).toBe('half-open');
  });
});

describe('backoffDelay', () => {
  const opts = { baseDelayMs: 500, maxDelayMs: 8_000, jitter: 0.5 };
  it('doubles per attempt, is capped, and spreads by the jitter share', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, opts, () => 1))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect(backoffDelay(3, opts, () => 0), 'lowest draw keeps half').toBe(1000);
  });
  it('never comes back before Retry-After', () => {
    expect(backoffDelay(1, opts, () => 0, 7_000)).toBe(7_000);
    expect(backoffDelay(5, opts, () => 1, 1_000)).toBe(8_000);
  });
});

describe('VirtualTime', () => {
  it('jumps to the earliest wake-up when every task sleeps', async () => {
    const time = new VirtualTime({ start: 0 });
    const order: string[] = [];
    await Promise.all([
      time.sleep(3000).then(() => order.push(`a@${time.now()}`)),
      time.sleep(1000).then(() => order.push(`b@${time.now()}`)),
    ]);
    expect(order).toEqual(['b@1000', 'a@3000']);
  });
});

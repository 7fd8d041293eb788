import { describe, expect, it } from 'vitest';
import { makeClientOrderId } from './client-order-id';

describe('makeClientOrderId', () => {
  it('is deterministic, short, and distinct per user, symbol, time and purpose', () => {
    const a = makeClientOrderId('user-1', 'BTC/USDT', 1_704_067_200_000, 'entry');
    expect(makeClientOrderId('user-1', 'BTC/USDT', 1_704_067_200_000, 'entry')).toBe(a);
    expect(a.length).toBeLessThanOrEqual(22);
    expect(a).toMatch(/^[a-z0-9]+$/);
    const others = [
      makeClientOrderId('user-2', 'BTC/USDT', 1_704_067_200_000, 'entry'),
      makeClientOrderId('user-1', 'ETH/USDT', 1_704_067_200_000, 'entry'),
      makeClientOrderId('user-1', 'BTC/USDT', 1_704_070_800_000, 'entry'),
      makeClientOrderId('user-1', 'BTC/USDT', 1_704_067_200_000, 'exit'),
    ];
    expect(new Set([a, ...others]).size).toBe(5);
  });
});

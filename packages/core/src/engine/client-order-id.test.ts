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
  it('writes times and attempts in base 36 exactly as Number#toString(36) does', () => {
    // The ids of orders already stored must not change: the digits are fixed by the old text.
    const legacy = (userId: string, symbol: string, time: number, purpose: 'entry' | 'exit', attempt = 0) => {
      let h = 0x811c9dc5;
      const text = `${userId}|${symbol}`;
      for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
      return `k${(h >>> 0).toString(36).padStart(7, '0')}${time.toString(36)}${purpose === 'entry' ? 'e' : 'x'}${attempt.toString(36)}`;
    };
    const times = [0, 1, 35, 36, 1_295, 1_296, 1_704_067_200_000, 2 ** 53 - 1, 1.5, -3_600_000, 1e21];
    for (let k = 0; k < 200; k++) times.push(Math.floor(1_500_000_000_000 + k * 3_600_017.3));
    for (const [i, t] of times.entries()) {
      expect(makeClientOrderId(`u${i % 3}`, i % 2 ? 'BTC/USDT' : 'PEPE/USDT', t, i % 2 ? 'entry' : 'exit', i % 40)).toBe(legacy(`u${i % 3}`, i % 2 ? 'BTC/USDT' : 'PEPE/USDT', t, i % 2 ? 'entry' : 'exit', i % 40));
    }
  });
});

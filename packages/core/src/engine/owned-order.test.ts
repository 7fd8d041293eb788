import { describe, expect, it } from 'vitest';
import type { Order } from '../domain/order';
import { ownedOrder } from './owned-order';

const market: Order = {
  id: 'sim-1',
  clientOrderId: 'k1',
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'market',
  purpose: 'entry',
  status: 'open',
  amount: 0.5,
  filled: 0.25,
  average: 100,
  fees: [{ currency: 'USDT', cost: 0.1 }],
  createdAt: 1,
  updatedAt: 2,
};

describe('ownedOrder', () => {
  it('equals { ...order, userId, strategyId }, keys in the same order, for every shape', () => {
    // As venues build them: the price right after the amount. Also one with the price last.
    const limit: Order = { id: 'sim-2', clientOrderId: 'k2', symbol: 'BTC/USDT', side: 'sell', type: 'limit', purpose: 'exit', status: 'open', amount: 0.5, price: 99, filled: 0, average: 0, fees: [], createdAt: 1, updatedAt: 2 };
    const reordered = { ...market, type: 'limit', price: 99 } as Order;
    expect(Object.keys(limit)[8]).toBe('price');
    expect(Object.keys(reordered).at(-1)).toBe('price');
    const rejected: Order = { ...market, status: 'rejected', rejectReason: 'no funds' };
    const extra = { ...market, venueInfo: { raw: true } } as Order;
    for (const order of [market, limit, reordered, rejected, extra]) {
      const stored = ownedOrder(order, 'u', 's');
      const expected = { ...order, userId: 'u', strategyId: 's' };
      expect(stored).toEqual(expected);
      expect(Object.keys(stored)).toEqual(Object.keys(expected));
      expect(stored).not.toBe(order);
    }
  });
});

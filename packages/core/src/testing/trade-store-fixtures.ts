import type { Fill } from '../domain/order';
import type { Trade } from '../domain/position';
import type { StoredOrder } from '../ports/trade-store';

/** A stored order with sensible defaults; tests override what they check. */
export function makeStoredOrder(over: Partial<StoredOrder> = {}): StoredOrder {
  return {
    id: 'x-1',
    clientOrderId: 'c-1',
    userId: 'u1',
    strategyId: 's1',
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    purpose: 'entry',
    status: 'open',
    amount: 1,
    price: 100,
    filled: 0,
    average: 0,
    fees: [],
    createdAt: 1_000,
    updatedAt: 1_000,
    ...over,
  };
}

export function makeFill(over: Partial<Fill> = {}): Fill {
  return {
    id: 'x-1@0.5',
    orderId: 'x-1',
    clientOrderId: 'c-1',
    symbol: 'BTC/USDT',
    side: 'buy',
    price: 100,
    amount: 0.5,
    fee: { currency: 'USDT', cost: 0.05 },
    liquidity: 'taker',
    time: 2_000,
    ...over,
  };
}

export function makeTrade(over: Partial<Trade> = {}): Trade {
  return {
    id: 't-1',
    userId: 'u1',
    symbol: 'BTC/USDT',
    side: 'long',
    strategyId: 's1',
    entryTime: 1_000,
    entryPrice: 100,
    exitTime: 5_000,
    exitPrice: 110,
    amount: 1,
    pnl: 9.79,
    pnlPct: 9.78,
    fees: 0.21,
    entryReason: 'cross up',
    exitReason: 'cross down',
    ...over,
  };
}

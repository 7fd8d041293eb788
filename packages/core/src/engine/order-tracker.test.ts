import { describe, expect, it } from 'vitest';
import type { Market } from '../domain/market';
import type { Order } from '../domain/order';
import { StepCounter } from '../domain/step-counter';
import { type OrderChange, OrderTracker } from './order-tracker';
import { runSteps } from './run-steps';

const market: Market = { symbol: 'X/USDT', base: 'X', quote: 'USDT', active: true, amountStep: 0.1, priceStep: 0.0001, minAmount: 0.1, minNotional: 1, makerFee: 0.001, takerFee: 0.001 };
const order = (over: Partial<Order>): Order => ({
  id: 'v1',
  clientOrderId: 'c1',
  symbol: 'X/USDT',
  side: 'sell',
  type: 'market',
  purpose: 'exit',
  status: 'open',
  amount: 588062.3,
  filled: 0,
  average: 0,
  fees: [],
  createdAt: 0,
  updatedAt: 0,
  ...over,
});

function poll(tracker: OrderTracker, next: Order) {
  return runSteps(tracker.pollSteps(() => next, 'X/USDT')) as OrderChange[];
}

describe('OrderTracker with market steps', () => {
  it('derives fills as exact step differences, which add up to the order', () => {
    const t = new OrderTracker();
    t.useMarkets({ 'X/USDT': market });
    t.track(order({}), { strategyId: 's', reason: 'r' });
    const a = poll(t, order({ status: 'partially_filled', filled: 457425.6, average: 1 }));
    const b = poll(t, order({ status: 'filled', filled: 588062.3, average: 1 }));
    expect(a[0]?.fill?.amount).toBe(457425.6);
    expect(b[0]?.fill?.amount, 'not 130636.69999999995').toBe(130636.7);
    const c = new StepCounter(0.1);
    expect(c.count(a[0]!.fill!.amount) + c.count(b[0]!.fill!.amount)).toBe(c.count(588062.3));
    expect(t.size).toBe(0);
  });

  it('ends an order the venue leaves open with less than one step to fill', () => {
    const t = new OrderTracker();
    t.useMarkets({ 'X/USDT': market });
    t.track(order({}), { strategyId: 's', reason: 'r' });
    // A venue's float sum: 1.2e-10 short of the amount, still "partially filled".
    const changes = poll(t, order({ status: 'partially_filled', filled: 457425.6 + 130636.7, average: 1 }));
    expect(changes[0]?.order.status).toBe('filled');
    expect(t.hasOpen('X/USDT', 'exit')).toBe(false);
  });
});

import type { Balances, Market, Order } from '../src';
import { KairosError } from '../src';

/** A hand-written venue for reconciliation tests: orders and balances set by the test. */
export class FakeVenue {
  readonly orders = new Map<string, Order>();
  balances: Record<string, number> = {};
  failOpenOrders = false;
  readonly markets: Record<string, Market> = {
    'BTC/USDT': { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', active: true, amountStep: 0.001, priceStep: 0.01, minAmount: 0.001, minNotional: 5, makerFee: 0.001, takerFee: 0.001 },
  };

  put(o: Order): Order {
    this.orders.set(o.id, o);
    return o;
  }
  async loadMarkets(): Promise<Record<string, Market>> {
    return this.markets;
  }
  async fetchBalance(): Promise<Balances> {
    return Object.fromEntries(Object.entries(this.balances).map(([c, t]) => [c, { currency: c, free: t, used: 0, total: t }]));
  }
  async fetchOrder(_symbol: string, id: string): Promise<Order> {
    const o = this.orders.get(id);
    if (!o) throw new KairosError('ORDER_NOT_FOUND', `order ${id} not found`);
    return o;
  }
  async fetchOrderByClientId(_symbol: string, cid: string): Promise<Order | undefined> {
    return [...this.orders.values()].find((o) => o.clientOrderId === cid);
  }
  async fetchOpenOrders(): Promise<Order[]> {
    if (this.failOpenOrders) throw new KairosError('EXCHANGE_UNAVAILABLE', 'venue down', { retryable: true });
    return [...this.orders.values()].filter((o) => ['open', 'partially_filled', 'submitted'].includes(o.status));
  }
}

export function venueOrder(over: Partial<Order> = {}): Order {
  return {
    id: 'v1',
    clientOrderId: 'c1',
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'market',
    purpose: 'entry',
    status: 'open',
    amount: 1,
    filled: 0,
    average: 0,
    fees: [],
    createdAt: 1_000,
    updatedAt: 1_000,
    ...over,
  };
}

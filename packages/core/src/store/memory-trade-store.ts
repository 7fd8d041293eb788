import type { Fill } from '../domain/order';
import type { Trade } from '../domain/position';
import type { Clock } from '../ports/clock';
import type { ImmediateTradeStore, OrderQuery, StoredOrder, TradeQuery, TradeStore } from '../ports/trade-store';
import { mergeOrder } from './merge-order';

/**
 * A `TradeStore` in process memory: the embedded default and the reference for the
 * conformance suite. Nothing survives the process.
 */
export class MemoryTradeStore implements TradeStore, ImmediateTradeStore {
  private readonly orders = new Map<string, StoredOrder>();
  private readonly fills = new Map<string, Map<string, Fill>>();
  private readonly trades = new Map<string, Trade>();
  private readonly values = new Map<string, { value: string; expiresAt: number }>();

  constructor(private readonly clock: Pick<Clock, 'now'> = { now: () => Date.now() }) {}

  /**
   * This store, answering synchronously, unless a subclass or a patched instance replaced
   * one of the asynchronous methods (then its behaviour, e.g. an injected failure, must hold).
   */
  get immediate(): ImmediateTradeStore | undefined {
    const own = MemoryTradeStore.prototype;
    return this.getOrder === own.getOrder && this.saveOrder === own.saveOrder && this.saveFill === own.saveFill && this.saveTrade === own.saveTrade ? this : undefined;
  }

  async saveOrder(order: StoredOrder): Promise<void> {
    this.saveOrderNow(order);
  }

  saveOrderNow(order: StoredOrder): void {
    const merged = mergeOrder(this.orders.get(order.clientOrderId), order);
    if (merged) this.orders.set(order.clientOrderId, merged);
  }

  async getOrder(clientOrderId: string): Promise<StoredOrder | undefined> {
    return this.orders.get(clientOrderId);
  }

  getOrderNow(clientOrderId: string): StoredOrder | undefined {
    return this.orders.get(clientOrderId);
  }

  async listOrders(query: OrderQuery = {}): Promise<StoredOrder[]> {
    return [...this.orders.values()]
      .filter(
        (o) =>
          (query.userId === undefined || o.userId === query.userId) &&
          (query.symbol === undefined || o.symbol === query.symbol) &&
          (query.status === undefined || query.status.includes(o.status)),
      )
      .sort(compareOrders);
  }

  async saveFill(userId: string, fill: Fill): Promise<boolean> {
    return this.saveFillNow(userId, fill);
  }

  saveFillNow(userId: string, fill: Fill): boolean {
    let byId = this.fills.get(userId);
    if (!byId) {
      byId = new Map();
      this.fills.set(userId, byId);
    }
    if (byId.has(fill.id)) return false;
    byId.set(fill.id, fill);
    return true;
  }

  async listFills(userId: string, clientOrderId?: string): Promise<Fill[]> {
    const all = [...(this.fills.get(userId)?.values() ?? [])];
    return (clientOrderId === undefined ? all : all.filter((f) => f.clientOrderId === clientOrderId)).sort(compareFills);
  }

  async saveTrade(trade: Trade): Promise<void> {
    this.saveTradeNow(trade);
  }

  saveTradeNow(trade: Trade): void {
    this.trades.set(`${trade.userId}\u0000${trade.id}`, trade);
  }

  async listTrades(query: TradeQuery = {}): Promise<Trade[]> {
    return [...this.trades.values()]
      .filter(
        (t) =>
          (query.userId === undefined || t.userId === query.userId) &&
          (query.symbol === undefined || t.symbol === query.symbol) &&
          (query.strategyId === undefined || t.strategyId === query.strategyId) &&
          (query.from === undefined || t.exitTime >= query.from) &&
          (query.to === undefined || t.exitTime <= query.to),
      )
      .sort(compareTrades);
  }

  async getValue(key: string): Promise<string | undefined> {
    const entry = this.values.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.clock.now()) {
      this.values.delete(key);
      return undefined;
    }
    return entry.value;
  }

  async setValue(key: string, value: string, ttlMs?: number): Promise<void> {
    const expiresAt = ttlMs === undefined ? Number.POSITIVE_INFINITY : this.clock.now() + ttlMs;
    this.values.set(key, { value, expiresAt });
  }

  async deleteValue(key: string): Promise<void> {
    this.values.delete(key);
  }
}

/** Orders list oldest first; ties by client order id (the order every store returns). */
export function compareOrders(a: StoredOrder, b: StoredOrder): number {
  return a.createdAt - b.createdAt || (a.clientOrderId < b.clientOrderId ? -1 : a.clientOrderId > b.clientOrderId ? 1 : 0);
}

/** Fills list by time; ties by fill id. */
export function compareFills(a: Fill, b: Fill): number {
  return a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Trades list by exit time; ties by trade id. */
export function compareTrades(a: Trade, b: Trade): number {
  return a.exitTime - b.exitTime || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

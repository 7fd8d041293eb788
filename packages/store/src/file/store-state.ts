import { compareFills, compareOrders, compareTrades, mergeOrder } from '@kairos/core';
import type { Fill, OrderQuery, StoredOrder, Trade, TradeQuery } from '@kairos/core';
import type { LogRecord } from './log-record';

interface ValueEntry {
  readonly value: string;
  readonly expiresAt: number | undefined;
}

/**
 * The file store's state in memory, and the one place where a `LogRecord` changes it:
 * the same `apply` serves live writes and replay, so both give the same state.
 */
export class StoreState {
  private readonly orders = new Map<string, StoredOrder>();
  private readonly fills = new Map<string, Map<string, Fill>>();
  private readonly trades = new Map<string, Map<string, Trade>>();
  private readonly values = new Map<string, ValueEntry>();

  /** Applies a record; returns false when it changed nothing (a duplicate). */
  apply(rec: LogRecord): boolean {
    switch (rec.t) {
      case 'order': {
        const merged = mergeOrder(this.orders.get(rec.order.clientOrderId), rec.order);
        if (merged) this.orders.set(rec.order.clientOrderId, merged);
        return merged !== undefined;
      }
      case 'fill': {
        const byId = mapFor(this.fills, rec.userId);
        if (byId.has(rec.fill.id)) return false;
        byId.set(rec.fill.id, rec.fill);
        return true;
      }
      case 'trade':
        mapFor(this.trades, rec.trade.userId).set(rec.trade.id, rec.trade);
        return true;
      case 'set':
        this.values.set(rec.key, { value: rec.value, expiresAt: rec.expiresAt });
        return true;
      case 'del':
        return this.values.delete(rec.key);
      case 'end':
        return false;
    }
  }

  /** The merged order a write of `order` would leave, or undefined when it changes nothing. */
  mergeFor(order: StoredOrder): StoredOrder | undefined {
    return mergeOrder(this.orders.get(order.clientOrderId), order);
  }

  hasFill(userId: string, fillId: string): boolean {
    return this.fills.get(userId)?.has(fillId) ?? false;
  }

  getOrder(cid: string): StoredOrder | undefined {
    return this.orders.get(cid);
  }

  listOrders(q: OrderQuery): StoredOrder[] {
    const out: StoredOrder[] = [];
    for (const o of this.orders.values()) {
      if ((q.userId === undefined || o.userId === q.userId) && (q.symbol === undefined || o.symbol === q.symbol) && (q.status === undefined || q.status.includes(o.status))) out.push(o);
    }
    return out.sort(compareOrders);
  }

  listFills(userId: string, cid?: string): Fill[] {
    const all = [...(this.fills.get(userId)?.values() ?? [])];
    return (cid === undefined ? all : all.filter((f) => f.clientOrderId === cid)).sort(compareFills);
  }

  listTrades(q: TradeQuery): Trade[] {
    const users = q.userId === undefined ? [...this.trades.values()] : [this.trades.get(q.userId) ?? new Map<string, Trade>()];
    const out: Trade[] = [];
    for (const byId of users) {
      for (const t of byId.values()) {
        if ((q.symbol === undefined || t.symbol === q.symbol) && (q.strategyId === undefined || t.strategyId === q.strategyId) && (q.from === undefined || t.exitTime >= q.from) && (q.to === undefined || t.exitTime <= q.to)) out.push(t);
      }
    }
    return out.sort(compareTrades);
  }

  /** The value of `key` at time `now`, dropping it when expired. */
  getValue(key: string, now: number): string | undefined {
    const e = this.values.get(key);
    if (!e) return undefined;
    if (e.expiresAt !== undefined && e.expiresAt <= now) {
      this.values.delete(key);
      return undefined;
    }
    return e.value;
  }

  /** Every live record, for a snapshot; expired values are left out. */
  *records(now: number): Generator<LogRecord> {
    for (const order of this.orders.values()) yield { t: 'order', order };
    for (const [userId, byId] of this.fills) for (const fill of byId.values()) yield { t: 'fill', userId, fill };
    for (const byId of this.trades.values()) for (const trade of byId.values()) yield { t: 'trade', trade };
    for (const [key, e] of this.values) {
      if (e.expiresAt !== undefined && e.expiresAt <= now) continue;
      yield e.expiresAt === undefined ? { t: 'set', key, value: e.value } : { t: 'set', key, value: e.value, expiresAt: e.expiresAt };
    }
  }
}

function mapFor<V>(m: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let v = m.get(key);
  if (!v) m.set(key, (v = new Map()));
  return v;
}

import type { Fill, Order, OrderStatus } from '../domain/order';
import type { Trade } from '../domain/position';

/** An order as the store keeps it: the exchange view plus whose it is. */
export interface StoredOrder extends Order {
  readonly userId: string;
  readonly strategyId: string;
}

export interface OrderQuery {
  readonly userId?: string;
  readonly symbol?: string;
  readonly status?: readonly OrderStatus[];
}

export interface TradeQuery {
  readonly userId?: string;
  readonly symbol?: string;
  readonly strategyId?: string;
  /** Exit time range, inclusive (ms). */
  readonly from?: number;
  readonly to?: number;
}

/**
 * Durable record of orders, fills and closed trades, plus a small key/value cache.
 * Writes are idempotent: saving the same order or fill twice changes nothing, and an
 * order's status never moves backwards.
 */
export interface TradeStore {
  /** Upserts by client order id; a stale status is ignored, never applied. */
  saveOrder(order: StoredOrder): Promise<void>;
  getOrder(clientOrderId: string): Promise<StoredOrder | undefined>;
  listOrders(query?: OrderQuery): Promise<StoredOrder[]>;
  /** Returns false when a fill with this id was already stored. */
  saveFill(userId: string, fill: Fill): Promise<boolean>;
  listFills(userId: string, clientOrderId?: string): Promise<Fill[]>;
  saveTrade(trade: Trade): Promise<void>;
  listTrades(query?: TradeQuery): Promise<Trade[]>;
  getValue(key: string): Promise<string | undefined>;
  /** `ttlMs` makes the value expire; omitted means it stays. */
  setValue(key: string, value: string, ttlMs?: number): Promise<void>;
  deleteValue(key: string): Promise<void>;
  close?(): Promise<void>;
  /**
   * The same store answering at once, offered only by stores that need no I/O (memory)
   * and only while their asynchronous methods are their own: lets a backtest's order
   * path run without a promise per write. Absent: callers use the methods above.
   */
  readonly immediate?: ImmediateTradeStore | undefined;
}

/**
 * Synchronous twins of the calls the Engine makes per order. Each has exactly the effect
 * and result of its asynchronous namesake.
 */
export interface ImmediateTradeStore {
  getOrderNow(clientOrderId: string): StoredOrder | undefined;
  saveOrderNow(order: StoredOrder): void;
  saveFillNow(userId: string, fill: Fill): boolean;
  saveTradeNow(trade: Trade): void;
}

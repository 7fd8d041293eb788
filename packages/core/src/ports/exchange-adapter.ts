import type { Candle, Timeframe } from '../domain/candle';
import type { Balances, Market, OrderBook, Ticker } from '../domain/market';
import type { Order, OrderIntent } from '../domain/order';

/**
 * What a venue can do natively. Components read this table instead of branching on
 * the exchange id (freqtrade's lesson).
 */
export interface ExchangeCapabilities {
  readonly nativeStopOrders: boolean;
  /** Most candles one request returns. */
  readonly candleLimit: number;
  readonly fetchOrderByClientId: boolean;
  readonly streams: boolean;
  readonly sandbox: boolean;
}

export interface FetchCandlesOptions {
  /** Earliest candle open time (ms), inclusive. */
  readonly since?: number;
  readonly limit?: number;
}

/**
 * The port to a spot exchange. Orders carry a client order id so that a retried
 * request can be recognised and never fills twice. Errors thrown are `KairosError`s
 * classified as retryable, non-retryable, or `EXCHANGE_OUTCOME_UNKNOWN`.
 */
export interface ExchangeAdapter {
  readonly id: string;
  readonly capabilities: ExchangeCapabilities;
  loadMarkets(): Promise<Readonly<Record<string, Market>>>;
  fetchBalance(): Promise<Balances>;
  fetchTicker(symbol: string): Promise<Ticker>;
  fetchCandles(symbol: string, timeframe: Timeframe, options?: FetchCandlesOptions): Promise<Candle[]>;
  fetchOrderBook?(symbol: string, depth?: number): Promise<OrderBook>;
  /** Sends an order. Resolves with the order as the venue acknowledged it. */
  createOrder(intent: OrderIntent): Promise<Order>;
  cancelOrder(symbol: string, orderId: string): Promise<Order>;
  fetchOrder(symbol: string, orderId: string): Promise<Order>;
  /** Looks an order up by the id we gave it; undefined when the venue does not know it. */
  fetchOrderByClientId?(symbol: string, clientOrderId: string): Promise<Order | undefined>;
  fetchOpenOrders(symbol?: string): Promise<Order[]>;
  close?(): Promise<void>;
  /**
   * The same venue answering at once, offered only by simulated venues (no I/O) and only
   * while their asynchronous methods are their own. Absent: callers use the methods above.
   */
  readonly immediate?: ImmediateOrders | undefined;
}

/**
 * Synchronous twins of the order calls the Engine makes per order. Each has exactly the
 * effect of its asynchronous namesake, and throws what that one would reject with.
 */
export interface ImmediateOrders {
  createOrderNow(intent: OrderIntent): Order;
  fetchOrderNow(symbol: string, orderId: string): Order;
  cancelOrderNow?(symbol: string, orderId: string): Order;
}

/** Something that reacts to closed candles, e.g. a simulated matching engine. */
export interface CandleConsumer {
  processCandle(symbol: string, candle: Candle, timeframeMs: number): void;
}

import type { MarketCandle } from '../domain/candle';
import type { Market } from '../domain/market';
import type { OrderPurpose, OrderSide } from '../domain/order';
import type { Position, Trade } from '../domain/position';
import type { Signal } from '../domain/signal';

/**
 * An order the engine would like to place, before risk has sized or approved it.
 * `amount` is undefined until a sizing policy sets it.
 */
export interface OrderProposal {
  readonly userId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly purpose: OrderPurpose;
  readonly type: 'market' | 'limit';
  /** Reference price: the limit price, or the last close for market orders. */
  readonly price: number;
  readonly amount?: number;
  readonly signal?: Signal;
  readonly reason: string;
}

/** What a risk policy may look at. A slice, not the engine. */
export interface RiskContext {
  readonly now: number;
  readonly market: Market;
  /** Free quote currency (e.g. USDT) available for new entries. */
  readonly freeQuote: number;
  /** Equity in quote units: cash plus positions at last prices. */
  readonly equity: number;
  readonly positions: ReadonlyMap<string, Position>;
  /** Orders not yet terminal, as count per symbol. */
  readonly openOrders: ReadonlyMap<string, number>;
}

/** A note a policy attaches when it changes a proposal. */
export interface RiskNote {
  readonly policyId: string;
  readonly action: 'approved' | 'resized';
  readonly reason: string;
}

export type RiskDecision =
  | { readonly verdict: 'approve'; readonly proposal: OrderProposal; readonly notes: readonly RiskNote[] }
  | { readonly verdict: 'reject'; readonly policyId: string; readonly reason: string; readonly notes: readonly RiskNote[] };

/**
 * An exit a policy wants now for an open position (stop-loss, take-profit, trailing
 * stop, time exit, a rung of a partial-close ladder, a flatten on halt). `amount` is in
 * base units, already rounded down to the market's step and never above what is held.
 */
export interface ExitProposal {
  readonly policyId: string;
  readonly symbol: string;
  /** Short machine tag, e.g. 'stop-loss', 'take-profit', 'trailing-stop', 'partial-close'. */
  readonly kind: string;
  readonly amount: number;
  /** Human-readable; starts with `kind` so trade exit reasons can be classified later. */
  readonly reason: string;
  /** The trigger level, when the exit is a price level (for venues with native stops). */
  readonly triggerPrice?: number;
}

/**
 * Approves, resizes or rejects an order proposal, with reasons. Policies compose:
 * each sees the proposal as the previous one left it.
 *
 * The optional members let stateful policies (exits, protections, circuit breakers)
 * follow the run; a policy without them is a pure function of proposal and context.
 */
export interface RiskPolicy {
  readonly id: string;
  evaluate(proposal: OrderProposal, context: RiskContext): RiskDecision;
  /** Loads persisted state (locks, breaker states) before the first candle. */
  start?(): Promise<void>;
  /** Waits until state changes made so far are persisted. */
  flush?(): Promise<void>;
  /** Every closed candle of every traded symbol, before exits and strategy run. */
  onCandle?(candle: MarketCandle): void;
  /** Every closed round trip of the user this policy guards. */
  onTradeClosed?(trade: Trade): void;
  /** Every equity sample of the user this policy guards. */
  onEquity?(point: { readonly time: number; readonly equity: number; readonly cash: number }): void;
  /**
   * Exits wanted now for one open position (the position monitor). Called once per
   * closed candle of the position's symbol, after `onCandle`.
   */
  exits?(position: Position, context: RiskContext): readonly ExitProposal[];
}

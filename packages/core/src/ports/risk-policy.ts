import type { Market } from '../domain/market';
import type { OrderPurpose, OrderSide } from '../domain/order';
import type { Position } from '../domain/position';
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
 * Approves, resizes or rejects an order proposal, with reasons. Policies compose:
 * each sees the proposal as the previous one left it.
 */
export interface RiskPolicy {
  readonly id: string;
  evaluate(proposal: OrderProposal, context: RiskContext): RiskDecision;
}

export type OrderSide = 'buy' | 'sell';

/** Why an order exists; exits may pass where entries are paused. */
export type OrderPurpose = 'entry' | 'exit';

interface IntentBase {
  readonly symbol: string;
  readonly side: OrderSide;
  /** Idempotency key: the same id never creates or fills a second order. */
  readonly clientOrderId: string;
  readonly purpose: OrderPurpose;
}

/**
 * What the engine asks an exchange to do. A discriminated union so that a limit
 * order without a price, or a market order with one, does not compile.
 */
export type OrderIntent =
  | (IntentBase & { readonly type: 'market'; readonly amount: number })
  | (IntentBase & {
      readonly type: 'limit';
      readonly amount: number;
      readonly price: number;
      readonly postOnly?: boolean;
    });

/**
 * Lifecycle states. The rank orders them so that a state never moves backwards;
 * terminal states share the top rank and never change.
 */
export type OrderStatus =
  | 'pending_submit'
  | 'submitted'
  | 'open'
  | 'partially_filled'
  | 'filled'
  | 'canceled'
  | 'rejected'
  | 'expired';

/**
 * Progress of each status: an order may only move to an equal or higher rank; all
 * terminal states share the top rank. Stores use it to refuse stale updates.
 */
export const ORDER_STATUS_RANK: Readonly<Record<OrderStatus, number>> = {
  pending_submit: 0,
  submitted: 1,
  open: 2,
  partially_filled: 3,
  filled: 4,
  canceled: 4,
  rejected: 4,
  expired: 4,
};

export function isTerminalStatus(s: OrderStatus): boolean {
  return ORDER_STATUS_RANK[s] === 4;
}

/** Whether `next` may follow `current` (same state is allowed: updates are idempotent). */
export function canTransition(current: OrderStatus, next: OrderStatus): boolean {
  if (current === next) return true;
  if (isTerminalStatus(current)) return false;
  return ORDER_STATUS_RANK[next] >= ORDER_STATUS_RANK[current];
}

export interface FeePaid {
  readonly currency: string;
  readonly cost: number;
}

/** An exchange order as last seen. */
export interface Order {
  readonly id: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: 'market' | 'limit';
  readonly purpose: OrderPurpose;
  readonly status: OrderStatus;
  /** Requested amount in base units. */
  readonly amount: number;
  readonly price?: number;
  readonly filled: number;
  /** Volume-weighted average fill price; 0 when nothing filled. */
  readonly average: number;
  readonly fees: readonly FeePaid[];
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly rejectReason?: string;
}

/** One execution against an order. `id` makes applying it idempotent. */
export interface Fill {
  readonly id: string;
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly price: number;
  readonly amount: number;
  readonly fee: FeePaid;
  readonly liquidity: 'maker' | 'taker';
  readonly time: number;
}

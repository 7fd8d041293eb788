import type { FeePaid, Fill, Order } from '../domain/order';
import type { StepCounter } from '../domain/step-counter';

/** How much of an order was already accounted for: the cumulative view of earlier fills. */
export interface ExecutionSoFar {
  readonly filled: number;
  /** Volume-weighted average price of `filled`. */
  readonly average: number;
  readonly fees: readonly FeePaid[];
}

/**
 * The fill between an earlier cumulative view of an order and a later one, or undefined
 * when nothing more was filled. Its id is `<order id>@<cumulative filled>`, the same id
 * the engine's order tracker gives the same execution, so whichever of the two sees it
 * first stores it and the other is a duplicate.
 *
 * With the market's `counter`, the amount is the exact difference in whole steps
 * (130636.7, not 588062.3 − 457425.6 = 130636.69999999995), so fills add up to the
 * order; without one it is the plain difference.
 */
export function deriveFill(prev: ExecutionSoFar, next: Order, counter?: StepCounter): Fill | undefined {
  let delta: number;
  if (counter) {
    const steps = counter.count(next.filled) - counter.count(prev.filled);
    if (!(steps > 0)) return undefined;
    delta = counter.amountOf(steps);
  } else {
    delta = next.filled - prev.filled;
    if (!(delta > next.amount * 1e-12)) return undefined;
  }
  const price = (next.average * next.filled - prev.average * prev.filled) / delta;
  const feeCurrency = next.fees[0]?.currency ?? prev.fees[0]?.currency ?? '';
  const cost = feeTotal(next.fees, feeCurrency) - feeTotal(prev.fees, feeCurrency);
  return {
    id: `${next.id}@${next.filled}`,
    orderId: next.id,
    clientOrderId: next.clientOrderId,
    symbol: next.symbol,
    side: next.side,
    price,
    amount: delta,
    fee: { currency: feeCurrency, cost: Math.max(0, cost) },
    liquidity: next.type === 'limit' ? 'maker' : 'taker',
    time: next.updatedAt,
  };
}

/** The cumulative view that a list of fills of one order adds up to. */
export function executionOf(fills: readonly Fill[]): ExecutionSoFar {
  let filled = 0;
  let value = 0;
  const fees = new Map<string, number>();
  for (const f of fills) {
    filled += f.amount;
    value += f.price * f.amount;
    if (f.fee.currency !== '') fees.set(f.fee.currency, (fees.get(f.fee.currency) ?? 0) + f.fee.cost);
  }
  return { filled, average: filled > 0 ? value / filled : 0, fees: [...fees].map(([currency, cost]) => ({ currency, cost })) };
}

function feeTotal(fees: readonly FeePaid[], currency: string): number {
  let t = 0;
  for (const f of fees) if (f.currency === currency) t += f.cost;
  return t;
}

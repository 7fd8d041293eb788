import { canTransition, isTerminalStatus } from '../domain/order';
import type { StoredOrder } from '../ports/trade-store';

/**
 * The order lifecycle rule every `TradeStore` applies on `saveOrder`, so that updates
 * arriving twice, late or out of order can never move an order backwards.
 *
 * - Status: `next.status` is taken only when `canTransition(prev, next)` allows it
 *   (ranks never go down; a terminal status never changes).
 * - Execution (`filled`, `average`, `fees`): taken from whichever view has filled more,
 *   because the venue's cumulative filled amount only grows.
 * - Identity (`id`, `amount`, `price`, `type`, …): the first view that carries an
 *   exchange id replaces the stored intent (the venue may have rounded the amount);
 *   after that it is fixed. `userId` and `strategyId` always stay with the first write.
 * - `updatedAt`: the later of the two.
 *
 * Each incoming view is first made self-consistent: `filled` is clamped to
 * `[0, amount]`. Returns `undefined` when `next` changes nothing, so a store can skip
 * the write (and a log does not grow on duplicates).
 */
export function mergeOrder(prev: StoredOrder | undefined, incoming: StoredOrder): StoredOrder | undefined {
  const next = clampFilled(incoming);
  if (!prev) return next;
  const takeIdentity = prev.id === '' && next.id !== '';
  const identity = takeIdentity ? next : prev;
  const statusMoves = prev.status !== next.status && canTransition(prev.status, next.status);
  const fillMoves = next.filled > prev.filled;
  const updatedAt = Math.max(prev.updatedAt, next.updatedAt);
  if (!takeIdentity && !statusMoves && !fillMoves && updatedAt === prev.updatedAt) return undefined;
  const execution = fillMoves ? next : prev;
  const status = statusMoves ? next.status : prev.status;
  const rejectReason = statusMoves ? (next.rejectReason ?? prev.rejectReason) : prev.rejectReason;
  const merged: StoredOrder = {
    id: identity.id,
    clientOrderId: prev.clientOrderId,
    userId: prev.userId,
    strategyId: prev.strategyId,
    symbol: identity.symbol,
    side: identity.side,
    type: identity.type,
    purpose: identity.purpose,
    amount: identity.amount,
    ...(identity.price !== undefined ? { price: identity.price } : {}),
    status,
    filled: Math.min(execution.filled, identity.amount),
    average: execution.average,
    fees: execution.fees,
    createdAt: prev.createdAt,
    updatedAt,
    ...(rejectReason !== undefined ? { rejectReason } : {}),
  };
  return merged;
}

function clampFilled(o: StoredOrder): StoredOrder {
  if (o.filled >= 0 && o.filled <= o.amount) return o;
  return { ...o, filled: Math.min(Math.max(0, o.filled), o.amount) };
}

/** True for statuses that a reconciliation must still resolve or follow. */
export function isOpenStatus(status: StoredOrder['status']): boolean {
  return !isTerminalStatus(status);
}

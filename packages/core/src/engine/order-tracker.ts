import { deriveFill } from '../reconcile/derive-fill';
import type { Market } from '../domain/market';
import type { Fill, Order } from '../domain/order';
import { StepCounter, amountUnit } from '../domain/step-counter';
import { isTerminalStatus } from '../domain/order';
import type { ExchangeAdapter } from '../ports/exchange-adapter';
import { runSteps, type Steps } from './run-steps';

export interface TrackedMeta {
  readonly strategyId: string;
  readonly reason: string;
}

export interface OrderChange {
  readonly order: Order;
  readonly meta: TrackedMeta;
  /** The execution since the last look, if the filled amount grew. */
  readonly fill?: Fill;
}

/**
 * Follows a user's non-terminal orders and turns successive order snapshots into fills.
 * A fill's id is the order id plus the cumulative filled amount, so seeing the same
 * snapshot twice (or after a restart) yields the same id and is applied once.
 */
export class OrderTracker {
  private readonly live = new Map<string, { order: Order; meta: TrackedMeta }>();
  private readonly counters = new Map<string, StepCounter>();

  /**
   * The markets whose amount steps fills are counted in: a fill is then the exact
   * difference in whole steps, and an order with less than one step left is done.
   */
  useMarkets(markets: Readonly<Record<string, Market>>): void {
    this.counters.clear();
    for (const m of Object.values(markets)) this.counters.set(m.symbol, new StepCounter(amountUnit(m)));
  }

  track(order: Order, meta: TrackedMeta): void {
    if (!isTerminalStatus(order.status) || order.filled > 0) this.live.set(order.clientOrderId, { order: emptyCopy(order), meta });
  }

  /**
   * Follows an order known from an earlier run, keeping what was already filled (and
   * applied) so the next poll reports only new executions.
   */
  resume(order: Order, meta: TrackedMeta): void {
    if (!isTerminalStatus(order.status)) this.live.set(order.clientOrderId, { order, meta });
  }

  openCount(symbol: string): number {
    let n = 0;
    for (const { order } of this.live.values()) if (order.symbol === symbol) n += 1;
    return n;
  }

  hasOpen(symbol: string, purpose: Order['purpose']): boolean {
    for (const { order } of this.live.values()) if (order.symbol === symbol && order.purpose === purpose) return true;
    return false;
  }

  /** The followed orders of `symbol` with that purpose, as last seen. */
  openOrders(symbol: string, purpose: Order['purpose']): Order[] {
    const out: Order[] = [];
    for (const { order } of this.live.values()) if (order.symbol === symbol && order.purpose === purpose) out.push(order);
    return out;
  }

  openCounts(): Map<string, number> {
    const m = new Map<string, number>();
    for (const { order } of this.live.values()) m.set(order.symbol, (m.get(order.symbol) ?? 0) + 1);
    return m;
  }

  get size(): number {
    return this.live.size;
  }

  /** Fetches every tracked order of `symbol` and reports what changed. */
  async poll(exchange: Pick<ExchangeAdapter, 'fetchOrder'>, symbol: string): Promise<OrderChange[]> {
    return runSteps(this.pollSteps((s, id) => exchange.fetchOrder(s, id), symbol));
  }

  /**
   * {@link poll} as steps (see `runSteps`), for a caller that may get each order back at
   * once (a simulated venue) and then polls without a promise.
   */
  *pollSteps(fetchOrder: (symbol: string, orderId: string) => Order | Promise<Order>, symbol: string): Steps<OrderChange[]> {
    const changes: OrderChange[] = [];
    for (const [cid, entry] of this.live) {
      if (entry.order.symbol !== symbol) continue;
      const next = this.settled((yield fetchOrder(symbol, entry.order.id)) as Order);
      const change = diff(entry.order, next, entry.meta, this.counters.get(symbol));
      if (change) changes.push(change);
      if (isTerminalStatus(next.status)) this.live.delete(cid);
      else entry.order = next;
    }
    return changes;
  }

  /**
   * An order the venue still calls open with less than one step left can never trade that
   * remainder: it is done, filled as far as it went, and stops holding its symbol back.
   */
  private settled(order: Order): Order {
    if (isTerminalStatus(order.status) || !(order.filled > 0)) return order;
    const counter = this.counters.get(order.symbol);
    if (!counter || counter.count(order.filled) < counter.count(order.amount)) return order;
    return { ...order, status: 'filled' };
  }
}

function emptyCopy(order: Order): Order {
  // Start from "nothing filled" so the first poll reports fills already in the ack.
  return { ...order, filled: 0, average: 0, fees: [] };
}

function diff(prev: Order, next: Order, meta: TrackedMeta, counter: StepCounter | undefined): OrderChange | undefined {
  // The same derivation the reconciler uses, so a fill seen by both gets one id.
  const fill = deriveFill(prev, next, counter);
  if (!fill) return next.status !== prev.status ? { order: next, meta } : undefined;
  return { order: next, meta, fill };
}

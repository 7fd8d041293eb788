import type { Market } from '../domain/market';
import type { Order, OrderIntent } from '../domain/order';
import type { Trade } from '../domain/position';
import { KairosError } from '../errors/kairos-error';
import type { EventBus } from '../events/event-bus';
import type { Portfolio } from '../portfolio/portfolio';
import type { Logger } from '../ports/logger';
import type { StoredOrder } from '../ports/trade-store';
import type { EngineDeps } from './engine';
import { OrderTracker, type OrderChange } from './order-tracker';
import { RejectionLedger, type RejectionPauseOptions } from './rejection-ledger';
import { ownedOrder } from './owned-order';
import type { Steps } from './run-steps';

/** What the order path needs of the Engine's dependencies. */
export type OrderFlowDeps = Pick<EngineDeps, 'userId' | 'store' | 'exchange' | 'gate' | 'risk' | 'strategy'>;

/**
 * The Engine's order path: store an intent, send it, follow the order, apply its fills to
 * the portfolio and store the trades they close. Written as steps (see `runSteps`):
 * `yield` stands for `await`, and with a memory store and a simulated venue (`immediate`)
 * nothing is awaited at all.
 */
export class OrderFlow {
  /** The orders being followed. */
  readonly tracker = new OrderTracker();
  /** Trades closed so far in this run. */
  readonly trades: Trade[] = [];
  /** Orders the venue accepted so far in this run. */
  placed = 0;
  /** The venue's rejections, and the symbols they paused. */
  readonly rejections: RejectionLedger;
  private portfolio: Portfolio | undefined;
  private markets: Readonly<Record<string, Market>> = {};

  constructor(
    private readonly deps: OrderFlowDeps,
    private readonly bus: EventBus,
    private readonly logger: Logger,
    pause: RejectionPauseOptions,
  ) {
    this.rejections = new RejectionLedger(pause);
  }

  /** The account and the markets fills are applied with; set when a run starts. */
  bind(portfolio: Portfolio, markets: Readonly<Record<string, Market>>): void {
    this.portfolio = portfolio;
    this.markets = markets;
    this.tracker.useMarkets(markets);
  }

  /** Polls the venue for `symbol`'s open orders and applies every change (fills, status). */
  *sync(symbol: string): Steps<void> {
    const { exchange } = this.deps;
    const now = exchange.immediate;
    const fetch = now ? (s: string, id: string) => now.fetchOrderNow(s, id) : (s: string, id: string) => exchange.fetchOrder(s, id);
    for (const change of yield* this.tracker.pollSteps(fetch, symbol)) yield* this.applyChange(change);
  }

  /** Stores, sends and starts following one order; a rejection is stored and announced. */
  *submit(intent: OrderIntent, reason: string, time: number): Steps<void> {
    const { deps } = this;
    const store = deps.store.immediate;
    const venue = deps.exchange.immediate;
    if (deps.gate && !deps.gate.allows(intent.purpose)) {
      this.logger.info({ symbol: intent.symbol, purpose: intent.purpose, blocked: [...deps.gate.reasons.keys()] }, 'entry held back: trading gate closed');
      return;
    }
    // Announced once when it began; until it ends the symbol's orders are not sent.
    if (this.rejections.pauseOf(intent.symbol, time)) return;
    // The client order id is derived from the decision, so a stored one means this decision
    // was already acted on (e.g. before a restart): never send it twice.
    if (yield store ? store.getOrderNow(intent.clientOrderId) : deps.store.getOrder(intent.clientOrderId)) return;
    const { userId } = deps;
    const strategyId = deps.strategy.id;
    // Built with its owner fields in place (the same keys, in the same order, as `ownedOrder`).
    const pending: StoredOrder = {
      id: '',
      clientOrderId: intent.clientOrderId,
      symbol: intent.symbol,
      side: intent.side,
      type: intent.type,
      purpose: intent.purpose,
      status: 'pending_submit',
      amount: intent.amount,
      filled: 0,
      average: 0,
      fees: [],
      createdAt: time,
      updatedAt: time,
      userId,
      strategyId,
    };
    // Stored before it is sent: after a crash the intent is known and can be reconciled.
    yield store ? store.saveOrderNow(pending) : deps.store.saveOrder(pending);
    let order: Order;
    try {
      order = (yield venue ? venue.createOrderNow(intent) : deps.exchange.createOrder(intent)) as Order;
    } catch (err) {
      const e = err instanceof KairosError ? err : new KairosError('EXCHANGE_ERROR', String(err), { cause: err });
      if (e.code === 'EXCHANGE_OUTCOME_UNKNOWN') {
        this.logger.error({ clientOrderId: intent.clientOrderId, error: e.message }, 'order outcome unknown; left pending for reconciliation');
        return;
      }
      const rejected: StoredOrder = { ...pending, status: 'rejected', rejectReason: e.message };
      yield store ? store.saveOrderNow(rejected) : deps.store.saveOrder(rejected);
      this.bus.emit('order.rejected', { userId: deps.userId, clientOrderId: intent.clientOrderId, symbol: intent.symbol, code: e.code, reason: e.message });
      this.logger.warn({ clientOrderId: intent.clientOrderId, code: e.code, error: e.message }, 'order rejected');
      const pause = this.rejections.record({ time, symbol: intent.symbol, side: intent.side, purpose: intent.purpose, code: e.code, reason: e.message });
      if (pause) {
        this.bus.emit('symbol.paused', { userId: deps.userId, pause });
        this.logger.warn({ symbol: pause.symbol, code: pause.code, repeats: pause.repeats, until: pause.until }, 'orders paused: the same rejection repeated');
      }
      return;
    }
    this.placed += 1;
    this.rejections.accepted(intent.symbol);
    const acked = ownedOrder(order, userId, strategyId);
    yield store ? store.saveOrderNow(acked) : deps.store.saveOrder(acked);
    this.tracker.track(order, { strategyId, reason });
    if (this.bus.hasListeners('order.submitted')) this.bus.emit('order.submitted', { userId, order });
    this.logger.info({ clientOrderId: order.clientOrderId, symbol: order.symbol, side: order.side, amount: order.amount }, 'order submitted');
  }

  /**
   * Cancels `symbol`'s open orders of one purpose (an entry still filling when an exit is
   * due) and applies what they filled before the cancel, so the position is what filled.
   * A cancel the venue refuses is logged; the order is then followed until it ends.
   */
  *cancelOpen(symbol: string, purpose: Order['purpose']): Steps<void> {
    const { exchange } = this.deps;
    const now = exchange.immediate;
    for (const o of this.tracker.openOrders(symbol, purpose)) {
      try {
        yield now?.cancelOrderNow ? now.cancelOrderNow(symbol, o.id) : exchange.cancelOrder(symbol, o.id);
      } catch (err) {
        this.logger.warn({ symbol, orderId: o.id, error: err instanceof Error ? err.message : String(err) }, 'cancel refused; the order is followed until it ends');
      }
    }
    yield* this.sync(symbol);
  }

  /**
   * Ends `symbol`'s position without an order because what is held cannot be sold (under
   * the market's minimums): the round trip closes, the rest stays as dust in equity.
   */
  *settleDust(symbol: string, time: number, reason: string): Steps<void> {
    const { deps } = this;
    const store = deps.store.immediate;
    const trade = (this.portfolio as Portfolio).settleAsDust(symbol, time, { strategyId: deps.strategy.id, reason });
    if (!trade) return;
    this.logger.info({ symbol, reason }, 'position left as dust: under the market minimums');
    yield* this.recordTrade(trade, store);
  }

  private *recordTrade(trade: Trade, store: OrderFlowDeps['store']['immediate']): Steps<void> {
    const { deps } = this;
    deps.risk.onTradeClosed?.(trade);
    this.trades.push(trade);
    yield store ? store.saveTradeNow(trade) : deps.store.saveTrade(trade);
    if (this.bus.hasListeners('trade.closed')) this.bus.emit('trade.closed', { userId: deps.userId, trade });
  }

  private *applyChange(change: OrderChange): Steps<void> {
    const { deps } = this;
    const store = deps.store.immediate;
    const portfolio = this.portfolio as Portfolio;
    const stored = ownedOrder(change.order, deps.userId, change.meta.strategyId);
    yield store ? store.saveOrderNow(stored) : deps.store.saveOrder(stored);
    if (this.bus.hasListeners('order.updated')) this.bus.emit('order.updated', { userId: deps.userId, order: change.order });
    const fill = change.fill;
    if (!fill || !(yield store ? store.saveFillNow(deps.userId, fill) : deps.store.saveFill(deps.userId, fill))) return;
    const market = this.markets[fill.symbol] as Market;
    const outcome = portfolio.applyFill(fill, market.base, {
      dustAmount: Math.max(market.minAmount, market.amountStep),
      amountStep: market.amountStep,
      strategyId: change.meta.strategyId,
      reason: change.meta.reason,
    });
    if (this.bus.hasListeners('order.filled')) this.bus.emit('order.filled', { userId: deps.userId, fill, order: change.order });
    if (outcome.opened && this.bus.hasListeners('trade.opened')) this.bus.emit('trade.opened', { userId: deps.userId, symbol: fill.symbol, time: fill.time, price: fill.price, amount: fill.amount });
    if (outcome.closed) yield* this.recordTrade(outcome.closed, store);
  }
}

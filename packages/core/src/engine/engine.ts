import type { MarketCandle } from '../domain/candle';
import { timeframeMs } from '../domain/candle';
import type { Market } from '../domain/market';
import { StepCounter, amountUnit } from '../domain/step-counter';
import type { Signal } from '../domain/signal';
import { KairosError } from '../errors/kairos-error';
import { EventBus } from '../events/event-bus';
import { NullLogger } from '../log/loggers';
import { Portfolio } from '../portfolio/portfolio';
import type { Logger } from '../ports/logger';
import type { OrderProposal, RiskContext } from '../ports/risk-policy';
import type { SignalValidator } from '../signals/signal-validator';
import { makeClientOrderId } from './client-order-id';
import { OrderFlow } from './order-flow';
import { runSteps, type Steps } from './run-steps';
import { SafeStrategy } from './safe-strategy';
import type { EngineDeps, EngineReport, RiskRejection } from './engine-deps';
import { SymbolState } from './symbol-state';

export type { EngineDeps, EngineMode, EngineReport, RiskRejection } from './engine-deps';

/**
 * The one trading loop for backtest, paper and live: candle → strategy → risk →
 * orders → fills → portfolio → store → bus. Modes differ only in the feed, clock and
 * exchange passed in, so a backtest and a paper replay of the same candles trade alike.
 */
export class Engine {
  readonly bus: EventBus;
  private readonly logger: Logger;
  private readonly safe: SafeStrategy;
  private readonly symbols = new Map<string, SymbolState>();
  private readonly flow: OrderFlow;
  private portfolio: Portfolio | undefined;
  private markets: Readonly<Record<string, Market>> = {};
  private readonly rejections: RiskRejection[] = [];
  private readonly counters = new Map<string, StepCounter>();
  private candles = 0;
  private stopping: string | undefined;
  private lastTime = Number.NaN;
  private readonly tfMs: number;

  constructor(private readonly deps: EngineDeps) {
    this.bus = deps.bus ?? new EventBus();
    this.logger = deps.logger ?? new NullLogger();
    this.tfMs = timeframeMs(deps.timeframe);
    this.flow = new OrderFlow(deps, this.bus, this.logger, {
      repeats: deps.rejectionPause?.repeats ?? 3,
      pauseMs: (deps.rejectionPause?.bars ?? 24) * this.tfMs,
    });
    this.safe = new SafeStrategy(deps.strategy, this.logger, (symbol, error, count) =>
      this.bus.emit('strategy.error', { userId: deps.userId, strategyId: deps.strategy.id, symbol, error, count }),
    );
  }

  /** Asks the loop to stop: no new orders from now on; the feed is told to end. */
  stop(reason = 'stopped'): void {
    if (this.stopping) return;
    this.stopping = reason;
    this.deps.feed.stop?.();
  }

  get stopped(): boolean {
    return this.stopping !== undefined;
  }

  /** Current portfolio (after `run` has started). */
  get account(): Portfolio | undefined {
    return this.portfolio;
  }

  get stats(): { candles: number; ordersPlaced: number; trades: number; rejections: number; orderRejections: number; pausedSymbols: number; strategyErrors: number } {
    return {
      candles: this.candles,
      ordersPlaced: this.flow.placed,
      trades: this.flow.trades.length,
      rejections: this.rejections.length,
      orderRejections: this.flow.rejections.total,
      pausedSymbols: this.flow.rejections.pauses.length,
      strategyErrors: this.safe.errorCount,
    };
  }

  async run(): Promise<EngineReport> {
    const { deps } = this;
    this.markets = await deps.exchange.loadMarkets();
    for (const symbol of deps.feed.symbols) {
      if (!this.markets[symbol]) {
        throw new KairosError('SYMBOL_UNKNOWN', `symbol ${symbol} is not listed on ${deps.exchange.id}`);
      }
    }
    const balances = await deps.exchange.fetchBalance();
    // All of the quote, reserved included: the engine's own open orders (a resumed session)
    // hold part of it, and their fills are paid from the portfolio's cash when they come.
    const startCash = balances[deps.quote]?.total ?? balances[deps.quote]?.free ?? 0;
    this.portfolio = new Portfolio(deps.userId, deps.quote, startCash, this.expectedBars());
    this.flow.bind(this.portfolio, this.markets);
    // Locks and breaker states from earlier runs must hold before the first decision.
    await deps.risk.start?.();
    const pastFills = await deps.store.listFills(deps.userId);
    if (pastFills.length > 0) {
      const marketOf = (symbol: string) => {
        const m = this.markets[symbol];
        return m ? { base: m.base, dustAmount: Math.max(m.minAmount, m.amountStep), amountStep: m.amountStep } : undefined;
      };
      this.portfolio.restorePositions(pastFills, marketOf, deps.strategy.id);
      // A restart never invents a position: what the venue does not hold is not held.
      for (const [symbol, position] of this.portfolio.positions) {
        const base = this.markets[symbol]?.base;
        const venue = base === undefined ? undefined : balances[base]?.total ?? 0;
        if (venue === undefined || venue >= position.amount) continue;
        this.portfolio.clampHolding(symbol, venue);
        this.logger.warn({ symbol, stored: position.amount, venue }, 'restored position is more than the venue holds; following the venue');
      }
    }
    // Orders a previous run left open keep being followed, from what was already applied.
    for (const o of await deps.store.listOrders({ userId: deps.userId, status: ['submitted', 'open', 'partially_filled'] })) {
      if (o.id !== '') this.flow.tracker.resume(o, { strategyId: o.strategyId, reason: 'resumed' });
    }
    this.bus.emit('engine.started', { mode: deps.mode, symbols: deps.feed.symbols, time: deps.clock.now() });

    // Unpaced replays hand candles over synchronously: the loop then awaits only when a
    // candle needs I/O (an order to sync or place), not once per candle.
    const sync = deps.feed.syncIterator?.();
    if (sync) {
      for (const mc of sync) {
        const pending = this.onCandle(mc);
        if (pending) await pending;
        if (this.stopping) break;
      }
    } else {
      for await (const mc of deps.feed) {
        const pending = this.onCandle(mc);
        if (pending) await pending;
        if (this.stopping) break;
      }
    }
    if (!Number.isNaN(this.lastTime)) this.recordEquity(this.lastTime);
    await deps.risk.flush?.();
    const stopReason = this.stopping ?? 'feed ended';
    this.bus.emit('engine.stopped', { reason: stopReason, time: deps.clock.now() });
    return {
      mode: deps.mode,
      candles: this.candles,
      startEquity: startCash,
      trades: this.flow.trades,
      equityCurve: this.portfolio.equityCurve,
      rejections: this.rejections,
      orderRejections: this.flow.rejections.rejections,
      orderRejectionCounts: this.flow.rejections.rejectionCounts,
      symbolPauses: this.flow.rejections.pauses,
      dust: [...this.portfolio.dustHoldings].map(([symbol, d]) => ({ symbol, amount: d.amount, value: d.amount * d.price })),
      ordersPlaced: this.flow.placed,
      strategyErrors: this.safe.errorCount,
      openPositions: this.portfolio.positions.size,
      stopReason,
    };
  }

  /** Bars the run will close, when the preload says (one equity sample each; +1 for the last). */
  private expectedBars(): number | undefined {
    const preload = this.deps.preload;
    if (!preload) return undefined;
    let most = 0;
    for (const symbol of this.deps.feed.symbols) most = Math.max(most, preload[symbol]?.length ?? 0);
    return most + 1;
  }

  /** Returns a promise only when the candle needed asynchronous work. */
  private onCandle(mc: MarketCandle): Promise<void> | undefined {
    const { deps } = this;
    const closeTime = mc.candle.time + this.tfMs;
    const warmUntil = deps.warmupUntil?.[mc.symbol];
    if (warmUntil !== undefined && closeTime <= warmUntil) {
      this.stateFor(mc.symbol).append(mc.candle);
      deps.risk.onCandle?.(mc);
      return undefined;
    }
    if (closeTime !== this.lastTime) {
      if (!Number.isNaN(this.lastTime)) this.recordEquity(this.lastTime);
      this.lastTime = closeTime;
    }
    deps.clock.advanceTo?.(closeTime);
    this.candles += 1;

    deps.matching?.processCandle(mc.symbol, mc.candle, this.tfMs);
    if (this.flow.tracker.size > 0 && this.flow.tracker.openCount(mc.symbol) > 0) {
      const synced = runSteps(this.flow.sync(mc.symbol));
      if (synced) return synced.then(() => this.decideOn(mc, closeTime));
    }
    return this.decideOn(mc, closeTime);
  }

  private decideOn(mc: MarketCandle, closeTime: number): Promise<void> | undefined {
    const { deps } = this;
    (this.portfolio as Portfolio).mark(mc.symbol, mc.candle.close);
    const state = this.stateFor(mc.symbol);
    state.append(mc.candle);
    deps.risk.onCandle?.(mc);
    if (this.bus.hasListeners('candle.closed')) this.bus.emit('candle.closed', mc);
    if (this.stopping) return undefined;
    const exit = this.positionExit(mc.symbol, closeTime);
    if (exit) return exit;
    if (state.view.length < deps.strategy.warmup) return undefined;

    const signal = this.safe.decide(state.view);
    if (!signal || signal.direction === 'hold') return undefined;
    return this.onSignal(signal, state, mc.candle.close, closeTime);
  }

  // The signal → order path returns a promise only where it awaits something (a
  // validator, the store, the exchange): most candles and refused signals stay synchronous.
  private onSignal(signal: Signal, state: SymbolState, price: number, closeTime: number): Promise<void> | undefined {
    if (this.deps.signalValidator) return this.validateThenAct(this.deps.signalValidator, signal, state, price, closeTime);
    return this.accept(signal, price, closeTime);
  }

  private async validateThenAct(validator: SignalValidator, signal: Signal, state: SymbolState, price: number, closeTime: number): Promise<void> {
    const { deps } = this;
    const verdict = await validator.validate(signal, { now: deps.clock.now(), lastClose: state.view.time, history: state.view.length, warmup: deps.strategy.warmup });
    if (!verdict.ok) {
      this.logger.info({ symbol: signal.symbol, source: signal.source, code: verdict.code, reason: verdict.reason }, 'signal refused');
      return;
    }
    await this.accept(signal, price, closeTime);
  }

  private accept(signal: Signal, price: number, closeTime: number): Promise<void> | undefined {
    if (this.bus.hasListeners('signal.generated')) this.bus.emit('signal.generated', { userId: this.deps.userId, signal });
    return this.act(signal, price, closeTime);
  }

  /**
   * The position monitor: asks risk for exits (stop-loss, take-profit, trailing, partial
   * closes) on the position's candle and sends the first one. Emulated here, after the
   * candle closes, for venues without native stop orders.
   */
  private positionExit(symbol: string, closeTime: number): Promise<void> | undefined {
    const { risk } = this.deps;
    const portfolio = this.portfolio as Portfolio;
    if (!risk.exits || !portfolio.hasPosition(symbol) || this.flow.tracker.hasOpen(symbol, 'exit')) return undefined;
    const position = portfolio.positions.get(symbol);
    const market = this.markets[symbol];
    if (!position || !market) return undefined;
    const exit = risk.exits(position, this.riskContext(market, closeTime))[0];
    if (!exit) return undefined;
    return runSteps(this.exitSteps(market, closeTime, position.lastPrice, exit.amount, exit.reason)) as Promise<void> | undefined;
  }

  /**
   * Sells `want` (all when undefined) of what is held. An entry still filling is cancelled
   * first, so the position is what actually filled; the amount is the holding's whole
   * steps, never more. What cannot be sold (under the minimum amount or notional) is
   * never sent: a whole position that small is left as dust and the symbol is free again,
   * and a partial exit that would leave such a remainder sells everything.
   */
  private *exitSteps(market: Market, time: number, price: number, want: number | undefined, reason: string, signal?: Signal): Steps<void> {
    const { symbol } = market;
    const portfolio = this.portfolio as Portfolio;
    if (this.flow.tracker.hasOpen(symbol, 'entry')) yield* this.flow.cancelOpen(symbol, 'entry');
    if (!portfolio.hasPosition(symbol) || this.flow.tracker.hasOpen(symbol, 'exit')) return;
    const counter = this.counterOf(market);
    const heldSteps = counter.count(portfolio.amountHeld(symbol));
    if (unsellable(counter.amountOf(heldSteps), price, market)) {
      yield* this.flow.settleDust(symbol, time, reason);
      return;
    }
    let steps = want === undefined ? heldSteps : Math.min(heldSteps, counter.floor(want));
    if (steps < heldSteps && unsellable(counter.amountOf(heldSteps - steps), price, market)) steps = heldSteps;
    const amount = counter.amountOf(steps);
    if (unsellable(amount, price, market)) return;
    const proposal: OrderProposal = { userId: this.deps.userId, symbol, side: 'sell', purpose: 'exit', type: 'market', price, amount, reason, ...(signal ? { signal } : {}) };
    const sent = this.propose(proposal, market, time);
    if (sent) yield sent;
  }

  private counterOf(market: Market): StepCounter {
    let c = this.counters.get(market.symbol);
    if (!c) this.counters.set(market.symbol, (c = new StepCounter(amountUnit(market))));
    return c;
  }

  private stateFor(symbol: string): SymbolState {
    let s = this.symbols.get(symbol);
    if (!s) {
      const { strategy, preload } = this.deps;
      const candles = preload?.[symbol];
      s = new SymbolState(symbol, this.deps.timeframe, strategy.indicators, {
        ...(strategy.timeframes ? { timeframes: strategy.timeframes } : {}),
        ...(candles ? { preload: candles } : {}),
      });
      this.symbols.set(symbol, s);
    }
    return s;
  }

  private act(signal: Signal, price: number, time: number): Promise<void> | undefined {
    const portfolio = this.portfolio as Portfolio;
    const market = this.markets[signal.symbol] as Market;
    const held = portfolio.hasPosition(signal.symbol);
    if (signal.direction === 'buy') {
      if (this.flow.tracker.hasOpen(signal.symbol, 'entry')) return;
      const proposal: OrderProposal = { userId: this.deps.userId, symbol: signal.symbol, side: 'buy', purpose: 'entry', type: 'market', price, signal, reason: signal.reason };
      if (!held) return this.propose(proposal, market, time);
      // A holding too small to sell is dust, and dust never blocks an entry: it is settled
      // and joins the new position. A sellable one is a position: no second entry.
      if (this.flow.tracker.hasOpen(signal.symbol, 'exit') || !unsellable(portfolio.amountHeld(signal.symbol), price, market)) return;
      return runSteps(this.dustThenEnter(proposal, market, time)) as Promise<void> | undefined;
    }
    if (!held || this.flow.tracker.hasOpen(signal.symbol, 'exit')) return;
    return runSteps(this.exitSteps(market, time, price, undefined, signal.reason, signal)) as Promise<void> | undefined;
  }

  private *dustThenEnter(proposal: OrderProposal, market: Market, time: number): Steps<void> {
    yield* this.flow.settleDust(market.symbol, time, 'left as dust: under the market minimums');
    const sent = this.propose(proposal, market, time);
    if (sent) yield sent;
  }

  /** Runs a proposal through risk and sends what it approves. */
  private propose(proposal: OrderProposal, market: Market, time: number): Promise<void> | undefined {
    const decision = this.deps.risk.evaluate(proposal, this.riskContext(market, time));
    if (decision.verdict === 'reject') {
      this.rejections.push({ time, symbol: proposal.symbol, side: proposal.side, policyId: decision.policyId, reason: decision.reason });
      this.bus.emit('risk.rejected', { userId: this.deps.userId, proposal, policyId: decision.policyId, reason: decision.reason });
      return;
    }
    if (this.bus.hasListeners('risk.resized')) {
      for (const note of decision.notes) {
        if (note.action === 'resized') this.bus.emit('risk.resized', { userId: this.deps.userId, proposal: decision.proposal, note });
      }
    }
    const approved = decision.proposal;
    if (this.bus.hasListeners('risk.approved')) this.bus.emit('risk.approved', { userId: this.deps.userId, proposal: approved, notes: decision.notes });
    const amount = this.counterOf(market).floorAmount(approved.amount ?? 0);
    if (!(amount > 0)) {
      const reason = approved.amount === undefined ? 'no policy sized the order' : 'amount rounds to zero';
      this.rejections.push({ time, symbol: approved.symbol, side: approved.side, policyId: 'engine', reason });
      this.bus.emit('risk.rejected', { userId: this.deps.userId, proposal: approved, policyId: 'engine', reason });
      return;
    }
    return runSteps(this.flow.submit(
      { type: 'market', symbol: approved.symbol, side: approved.side, amount, purpose: approved.purpose, clientOrderId: makeClientOrderId(this.deps.userId, approved.symbol, time, approved.purpose) },
      approved.reason,
      time,
    )) as Promise<void> | undefined;
  }

  private riskContext(market: Market, now: number): RiskContext {
    const portfolio = this.portfolio as Portfolio;
    return { now, market, freeQuote: portfolio.cash, equity: portfolio.equity(), positions: portfolio.positions, openOrders: this.flow.tracker.openCounts() };
  }

  private recordEquity(time: number): void {
    const portfolio = this.portfolio as Portfolio;
    const { risk } = this.deps;
    const listened = this.bus.hasListeners('portfolio.equity');
    // Nobody looks at the point now: record the sample without building it.
    if (!risk.onEquity && !listened) return portfolio.sampleEquity(time);
    const point = portfolio.recordEquity(time);
    risk.onEquity?.(point);
    if (listened) this.bus.emit('portfolio.equity', { userId: this.deps.userId, point });
  }
}

/** Whether the venue would refuse to sell `amount` at `price`: nothing, under the minimum amount, or under the minimum notional. */
function unsellable(amount: number, price: number, market: Market): boolean {
  // The notional is a product of two doubles: a relative billionth is float noise, not value.
  return !(amount > 0) || amount < market.minAmount || amount * price < market.minNotional * (1 - 1e-9);
}

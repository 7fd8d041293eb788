import {
  type Balances,
  type Candle,
  type CandleConsumer,
  type ExchangeAdapter,
  type ExchangeCapabilities,
  type FeePaid,
  type ImmediateOrders,
  type Market,
  type Order,
  type OrderIntent,
  type Ticker,
  type Timeframe,
  KairosError,
  MAX_EXACT_STEPS,
  OrderRejectedError,
  StepCounter,
  amountUnit,
  isTerminalStatus,
  roundToStep,
} from '@kairos/core';
import { type FillModelOptions, limitFill, marketFillPrice } from './fill-model';
import { SimulatedBalances } from './simulated-balances';
import { FINISHED_ORDERS_KEPT, type SimulatedVenueState } from './simulated-venue-state';

export interface SimulatedExchangeOptions extends Partial<FillModelOptions> {
  readonly id?: string;
  readonly markets: readonly Market[];
  /** Free balances at start, by currency. */
  readonly balances: Readonly<Record<string, number>>;
  /** Override the markets' fee rates. */
  readonly makerFee?: number;
  readonly takerFee?: number;
  /**
   * What to do with an amount or price off the market's step: 'reject' (default, like
   * most venues) throws ORDER_PRECISION; 'round' floors amounts and rounds prices.
   */
  readonly precision?: 'reject' | 'round';
  /** Time before the first candle arrives (ms). */
  readonly startTime?: number;
}

interface SimOrder {
  order: Order;
  /** Quote set aside for what a buy has not filled yet (a sell's reserve is its unfilled steps). */
  reserved: number;
  /** The order's amount and what has filled, in whole amount steps of its market: exact. */
  readonly steps: number;
  filledSteps: number;
  readonly counter: StepCounter;
  /** Whether what was set aside has gone back to the free balance (the order ended). */
  released?: boolean;
}

/** Relative slack for comparing a price × amount product with a venue minimum (float noise only). */
const NOTIONAL_NOISE = 1e-9;

/**
 * An exchange simulated against candles: market and limit orders, maker/taker fees,
 * slippage, fills bounded by candle volume, balances that cannot go negative, market
 * precision and minimums, and idempotent client order ids. Fees are charged in the
 * quote currency.
 */
export class SimulatedExchange implements ExchangeAdapter, CandleConsumer, ImmediateOrders {
  readonly id: string;
  readonly capabilities: ExchangeCapabilities = {
    nativeStopOrders: false,
    candleLimit: 1000,
    fetchOrderByClientId: true,
    streams: false,
    sandbox: true,
  };
  private readonly markets: Record<string, Market> = {};
  private readonly counters = new Map<string, StepCounter>();
  private readonly balances: SimulatedBalances;
  private readonly orders = new Map<string, SimOrder>();
  private readonly byClientId = new Map<string, string>();
  /** Non-terminal orders per symbol, in creation order: matching never scans finished ones. */
  private readonly openBySymbol = new Map<string, Set<SimOrder>>();
  /** Candles seen per symbol (the last one prices market orders and tickers). */
  private readonly history = new Map<string, Candle[]>();
  private readonly fill: FillModelOptions;
  private readonly precision: 'reject' | 'round';
  private now: number;
  private seq = 0;
  /** Close time of the last candle matched, per symbol. */
  private readonly matchedUntil = new Map<string, number>();
  private changes = 0;

  constructor(private readonly options: SimulatedExchangeOptions) {
    this.id = options.id ?? 'simulated';
    for (const m of options.markets) {
      this.markets[m.symbol] = m;
      this.counters.set(m.symbol, new StepCounter(amountUnit(m)));
    }
    this.balances = new SimulatedBalances(options.markets, options.balances);
    this.fill = { slippageBps: options.slippageBps ?? 5, volumeParticipation: options.volumeParticipation ?? 0.1 };
    this.precision = options.precision ?? 'reject';
    this.now = options.startTime ?? 0;
  }

  /**
   * Counts changes to orders and balances (an order placed, filled, cancelled or expired):
   * a caller that saves {@link snapshot}s saves only when it moved.
   */
  get version(): number {
    return this.changes;
  }

  /**
   * The venue's state as plain data: balances, open orders (and the last finished ones),
   * the last candle and matched time per symbol. {@link restore} on a venue built with the
   * same markets and options goes on exactly from here.
   */
  snapshot(): SimulatedVenueState {
    const open: SimOrder[] = [];
    const finished: SimOrder[] = [];
    for (const sim of this.orders.values()) (isTerminalStatus(sim.order.status) ? finished : open).push(sim);
    const kept = [...finished.slice(-FINISHED_ORDERS_KEPT), ...open].sort((a, b) => orderSeq(a.order.id) - orderSeq(b.order.id));
    return {
      version: 1,
      now: this.now,
      seq: this.seq,
      balances: this.balances.entries(),
      orders: kept.map((s) => ({ order: s.order, reserved: s.reserved, steps: s.steps, filledSteps: s.filledSteps, ...(s.released ? { released: true } : {}) })),
      lastCandles: Object.fromEntries([...this.history].flatMap(([symbol, h]) => (h.length > 0 ? [[symbol, h[h.length - 1] as Candle]] : []))),
      matchedUntil: Object.fromEntries(this.matchedUntil),
    };
  }

  /** Replaces this venue's state with a saved one (see {@link snapshot}). */
  restore(state: SimulatedVenueState): void {
    for (const o of state.orders) this.market(o.order.symbol);
    this.orders.clear();
    this.byClientId.clear();
    this.openBySymbol.clear();
    this.history.clear();
    this.matchedUntil.clear();
    this.balances.restore(state.balances);
    for (const o of state.orders) {
      const sim: SimOrder = { order: o.order as Order, reserved: o.reserved, steps: o.steps, filledSteps: o.filledSteps, counter: this.counters.get(o.order.symbol) as StepCounter, ...(o.released ? { released: true } : {}) };
      this.orders.set(sim.order.id, sim);
      this.byClientId.set(sim.order.clientOrderId, sim.order.id);
      if (isTerminalStatus(sim.order.status)) continue;
      let set = this.openBySymbol.get(sim.order.symbol);
      if (!set) this.openBySymbol.set(sim.order.symbol, (set = new Set()));
      set.add(sim);
    }
    for (const [symbol, c] of Object.entries(state.lastCandles)) this.history.set(symbol, [c]);
    for (const [symbol, t] of Object.entries(state.matchedUntil)) this.matchedUntil.set(symbol, t);
    this.now = state.now;
    this.seq = state.seq;
    this.changes += 1;
  }

  /** Close time of the last candle matched for `symbol` (undefined before the first). */
  matchedTime(symbol: string): number | undefined {
    return this.matchedUntil.get(symbol);
  }

  async loadMarkets(): Promise<Readonly<Record<string, Market>>> {
    return { ...this.markets };
  }

  async fetchBalance(): Promise<Balances> {
    return this.balances.snapshot();
  }

  async fetchTicker(symbol: string): Promise<Ticker> {
    this.market(symbol);
    const c = this.lastOf(symbol);
    if (!c) throw new KairosError('EXCHANGE_UNAVAILABLE', `no price for ${symbol} yet`, { retryable: true });
    return { symbol, time: this.now, last: c.close, baseVolume: c.volume, quoteVolume: c.volume * c.close };
  }

  async fetchCandles(symbol: string, _tf: Timeframe, options: { since?: number; limit?: number } = {}): Promise<Candle[]> {
    this.market(symbol);
    const all = this.history.get(symbol) ?? [];
    const since = options.since ?? Number.NEGATIVE_INFINITY;
    const from = all.filter((c) => c.time >= since);
    return options.limit === undefined ? from : from.slice(0, options.limit);
  }

  /**
   * This venue, answering synchronously, unless a subclass or a patched instance replaced
   * `createOrder`, `fetchOrder` or `cancelOrder` (then its behaviour, e.g. an injected failure, must hold).
   */
  get immediate(): ImmediateOrders | undefined {
    const own = SimulatedExchange.prototype;
    return this.createOrder === own.createOrder && this.fetchOrder === own.fetchOrder && this.cancelOrder === own.cancelOrder ? this : undefined;
  }

  async createOrder(intent: OrderIntent): Promise<Order> {
    return this.createOrderNow(intent);
  }

  createOrderNow(intent: OrderIntent): Order {
    const existingId = this.byClientId.get(intent.clientOrderId);
    if (existingId !== undefined) return (this.orders.get(existingId) as SimOrder).order;

    const market = this.market(intent.symbol);
    if (!market.active) throw new OrderRejectedError('ORDER_INVALID', `${intent.symbol} is not active`, { symbol: intent.symbol });
    let amount = intent.amount;
    let price = intent.type === 'limit' ? intent.price : undefined;
    if (!(Number.isFinite(amount) && amount > 0)) {
      throw new OrderRejectedError('ORDER_INVALID', `amount must be a positive number, got ${amount}`, { field: 'amount' });
    }
    if (price !== undefined && !(Number.isFinite(price) && price > 0)) {
      throw new OrderRejectedError('ORDER_INVALID', `price must be a positive number, got ${price}`, { field: 'price' });
    }
    const counter = this.counters.get(market.symbol) as StepCounter;
    if (this.precision === 'round') {
      if (price !== undefined) price = roundToStep(price, market.priceStep);
    } else {
      if (!counter.isWhole(amount)) {
        throw new OrderRejectedError('ORDER_PRECISION', `amount ${amount} is not a multiple of ${market.amountStep} for ${market.symbol}`, { field: 'amount', step: market.amountStep });
      }
      if (price !== undefined && market.priceStep > 0 && !new StepCounter(market.priceStep).isWhole(price)) {
        throw new OrderRejectedError('ORDER_PRECISION', `price ${price} is not a multiple of ${market.priceStep} for ${market.symbol}`, { field: 'price', step: market.priceStep });
      }
    }
    // Counted in whole steps from here on; the order's amount is the exact multiple.
    const steps = this.precision === 'round' ? counter.floor(amount) : counter.count(amount);
    if (steps > MAX_EXACT_STEPS) {
      throw new OrderRejectedError('ORDER_INVALID', `amount ${amount} is more than ${MAX_EXACT_STEPS} steps of ${counter.step} for ${market.symbol}`, { field: 'amount', max: counter.amountOf(MAX_EXACT_STEPS) });
    }
    amount = counter.amountOf(steps);
    if (!(steps > 0) || amount < market.minAmount) {
      throw new OrderRejectedError('ORDER_BELOW_MINIMUM', `amount ${amount} is below the minimum ${market.minAmount} for ${market.symbol}`, { field: 'amount', min: market.minAmount });
    }
    if (market.maxAmount !== undefined && amount > market.maxAmount) {
      throw new OrderRejectedError('ORDER_INVALID', `amount ${amount} is above the maximum ${market.maxAmount} for ${market.symbol}`, { field: 'amount', max: market.maxAmount });
    }
    const refPrice = price ?? this.lastOf(intent.symbol)?.close;
    if (refPrice === undefined) throw new KairosError('EXCHANGE_UNAVAILABLE', `no price for ${intent.symbol} yet`, { retryable: true });
    if (amount * refPrice < market.minNotional * (1 - NOTIONAL_NOISE)) {
      throw new OrderRejectedError('ORDER_BELOW_MINIMUM', `order value ${(amount * refPrice).toFixed(8)} ${market.quote} is below the minimum notional ${market.minNotional}`, { field: 'notional', min: market.minNotional });
    }

    // Reserve the worst case so the balance cannot go negative when the order fills.
    const feeRate = Math.max(this.makerFee(market), this.takerFee(market));
    const buyPrice = price ?? refPrice * (1 + this.fill.slippageBps / 10_000);
    const reserveCcy = intent.side === 'buy' ? market.quote : market.base;
    const reserve = intent.side === 'buy' ? amount * buyPrice * (1 + feeRate) : amount;
    const free = this.balances.freeOf(reserveCcy);
    if (!this.balances.covers(reserveCcy, reserve)) {
      throw new OrderRejectedError('INSUFFICIENT_FUNDS', `need ${reserve} ${reserveCcy}, have ${free} free`, { currency: reserveCcy, need: reserve, free });
    }
    // A buy's reserve may exceed the free cash by float noise: set aside what there is.
    const held = intent.side === 'buy' ? Math.min(reserve, free) : reserve;
    this.balances.move(reserveCcy, -held, held);

    this.seq += 1;
    const order: Order = {
      id: `sim-${this.seq}`,
      clientOrderId: intent.clientOrderId,
      symbol: intent.symbol,
      side: intent.side,
      type: intent.type,
      purpose: intent.purpose,
      status: 'open',
      amount,
      ...(price !== undefined ? { price } : {}),
      filled: 0,
      average: 0,
      fees: [],
      createdAt: this.now,
      updatedAt: this.now,
    };
    const sim: SimOrder = { order, reserved: intent.side === 'buy' ? held : 0, steps, filledSteps: 0, counter };
    this.orders.set(order.id, sim);
    this.byClientId.set(intent.clientOrderId, order.id);
    let open = this.openBySymbol.get(order.symbol);
    if (!open) this.openBySymbol.set(order.symbol, (open = new Set()));
    open.add(sim);
    this.changes += 1;
    return order;
  }

  async cancelOrder(symbol: string, orderId: string): Promise<Order> {
    return this.cancelOrderNow(symbol, orderId);
  }

  cancelOrderNow(symbol: string, orderId: string): Order {
    const sim = this.orders.get(orderId);
    if (!sim || sim.order.symbol !== symbol) throw new KairosError('ORDER_NOT_FOUND', `order ${orderId} not found on ${symbol}`);
    if (isTerminalStatus(sim.order.status)) return sim.order;
    this.release(sim);
    sim.order = { ...sim.order, status: 'canceled', updatedAt: this.now };
    this.changes += 1;
    this.openBySymbol.get(symbol)?.delete(sim);
    return sim.order;
  }

  async fetchOrder(symbol: string, orderId: string): Promise<Order> {
    return this.fetchOrderNow(symbol, orderId);
  }

  fetchOrderNow(symbol: string, orderId: string): Order {
    const sim = this.orders.get(orderId);
    if (!sim || sim.order.symbol !== symbol) throw new KairosError('ORDER_NOT_FOUND', `order ${orderId} not found on ${symbol}`);
    return sim.order;
  }

  async fetchOrderByClientId(symbol: string, clientOrderId: string): Promise<Order | undefined> {
    const id = this.byClientId.get(clientOrderId);
    const sim = id === undefined ? undefined : this.orders.get(id);
    return sim && sim.order.symbol === symbol ? sim.order : undefined;
  }

  async fetchOpenOrders(symbol?: string): Promise<Order[]> {
    const sets = symbol === undefined ? [...this.openBySymbol.values()] : [this.openBySymbol.get(symbol) ?? new Set<SimOrder>()];
    return sets.flatMap((set) => [...set].map((s) => s.order));
  }

  /** Matches resting orders of `symbol` against a newly closed candle. */
  processCandle(symbol: string, candle: Candle, timeframeMs: number): void {
    this.now = Math.max(this.now, candle.time);
    let capacity = candle.volume * this.fill.volumeParticipation;
    const open = this.openBySymbol.size > 0 ? this.openBySymbol.get(symbol) : undefined;
    if (open !== undefined && open.size > 0) {
      for (const sim of open) {
        if (sim.order.createdAt > candle.time) continue;
        if (capacity <= 0) break;
        capacity -= this.match(sim, candle, capacity);
        if (isTerminalStatus(sim.order.status)) open.delete(sim);
      }
    }
    let h = this.history.get(symbol);
    if (!h) this.history.set(symbol, (h = []));
    h.push(candle);
    this.now = Math.max(this.now, candle.time + timeframeMs);
    this.matchedUntil.set(symbol, candle.time + timeframeMs);
  }

  private lastOf(symbol: string): Candle | undefined {
    const h = this.history.get(symbol);
    return h === undefined ? undefined : h[h.length - 1];
  }

  private match(sim: SimOrder, candle: Candle, capacity: number): number {
    const o = sim.order;
    const market = this.markets[o.symbol] as Market;
    let price: number;
    let liquidity: 'maker' | 'taker';
    if (o.type === 'market') {
      price = marketFillPrice(candle, o.side, this.fill.slippageBps);
      liquidity = 'taker';
    } else {
      const hit = limitFill(candle, o.side, o.price as number);
      if (!hit) return 0;
      ({ price, liquidity } = hit);
    }
    const feeRate = liquidity === 'maker' ? this.makerFee(market) : this.takerFee(market);
    const { counter } = sim;
    const remaining = sim.steps - sim.filledSteps;
    let want = Math.min(remaining, counter.floor(capacity));
    // A remainder under the market's minimum amount is taken with the rest: no venue would
    // leave an order open for a piece it could never trade on its own.
    if (want < remaining && counter.amountOf(remaining - want) < market.minAmount) want = remaining;
    if (o.side === 'buy') {
      // The price moved since the order was reserved: draw the difference from free cash.
      const need = counter.amountOf(want) * price * (1 + feeRate) - sim.reserved;
      const take = Math.min(Math.max(0, need), this.balances.freeOf(market.quote));
      if (take > 0) {
        this.balances.move(market.quote, -take, take);
        sim.reserved += take;
      }
    }
    // A market buy that gapped beyond what the account holds fills what it can afford and
    // expires the rest, as a venue would refuse to overdraw the account.
    const affordable = o.side === 'buy' ? affordableSteps(counter, want, sim.reserved, price * (1 + feeRate)) : remaining;
    const fundsShort = affordable < want;
    const fillSteps = Math.min(want, affordable);
    if (!(fillSteps > 0)) {
      if (fundsShort && o.type === 'market') this.expire(sim, candle.time);
      return 0;
    }
    const amount = counter.amountOf(fillSteps);
    const gross = amount * price;
    const fee = gross * feeRate;
    if (o.side === 'buy') {
      const paid = Math.min(gross + fee, sim.reserved);
      sim.reserved -= paid;
      this.balances.move(market.quote, 0, -paid);
      this.balances.move(market.base, amount, 0);
    } else {
      this.balances.move(market.base, 0, -amount);
      this.balances.move(market.quote, gross - fee, 0);
    }
    sim.filledSteps += fillSteps;
    this.changes += 1;
    const done = sim.filledSteps === sim.steps;
    const filled = counter.amountOf(sim.filledSteps);
    const fees: FeePaid[] = [{ currency: market.quote, cost: (o.fees[0]?.cost ?? 0) + fee }];
    sim.order = {
      ...o,
      filled: done ? o.amount : filled,
      average: (o.average * o.filled + gross) / filled,
      fees,
      status: done ? 'filled' : 'partially_filled',
      updatedAt: candle.time,
    };
    if (done) this.release(sim);
    else if (fundsShort && o.type === 'market') this.expire(sim, candle.time);
    return amount;
  }

  private expire(sim: SimOrder, time: number): void {
    this.release(sim);
    sim.order = { ...sim.order, status: 'expired', updatedAt: time };
    this.changes += 1;
  }

  /** Returns what an order still holds in reserve to the free balance. */
  private release(sim: SimOrder): void {
    const market = this.markets[sim.order.symbol] as Market;
    if (sim.order.side === 'buy') {
      if (sim.reserved > 0) this.balances.move(market.quote, sim.reserved, -sim.reserved);
      sim.reserved = 0;
      return;
    }
    const unfilled = sim.counter.amountOf(sim.steps - sim.filledSteps);
    // Released once: a finished sell holds nothing more back.
    if (unfilled > 0 && !sim.released) this.balances.move(market.base, unfilled, -unfilled);
    sim.released = true;
  }

  private market(symbol: string): Market {
    const m = this.markets[symbol];
    if (!m) {
      throw new OrderRejectedError('SYMBOL_UNKNOWN', `unknown symbol ${symbol}; listed: ${Object.keys(this.markets).join(', ')}`, { symbol });
    }
    return m;
  }

  private makerFee(m: Market): number {
    return this.options.makerFee ?? m.makerFee;
  }

  private takerFee(m: Market): number {
    return this.options.takerFee ?? m.takerFee;
  }
}

/**
 * Whole steps of a buy that `reserved` cash pays for at `unitCost` per base unit: `want`
 * when its cost is the reserve up to float noise (the reserve was computed as the same
 * product), else the floor of what the cash buys.
 */
function affordableSteps(counter: StepCounter, want: number, reserved: number, unitCost: number): number {
  if (counter.amountOf(want) * unitCost <= reserved * (1 + 1e-12)) return want;
  return Math.min(want, counter.floor(reserved / unitCost));
}

/** The sequence number in a simulated order id (`sim-<n>`), for keeping creation order. */
function orderSeq(id: string): number {
  return Number(id.slice(4)) || 0;
}

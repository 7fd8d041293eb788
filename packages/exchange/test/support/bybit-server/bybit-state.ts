import type { Candle } from '@kairos/core';
import type { BybitSpotInstrument, ServerClock } from './types';

/** An error the server answers with HTTP 200 and a non-zero retCode, as Bybit does. */
export class BybitApiError extends Error {
  constructor(
    readonly retCode: number,
    readonly retMsg: string,
  ) {
    super(retMsg);
  }
}

/** An order as the server keeps it. Amounts are numbers; the wire format is strings. */
export interface ServerOrder {
  readonly orderId: string;
  readonly orderLinkId: string;
  readonly symbol: string;
  readonly side: 'Buy' | 'Sell';
  readonly orderType: 'Market' | 'Limit';
  /** 0 for market orders. */
  readonly price: number;
  readonly qty: number;
  readonly timeInForce: string;
  status: 'New' | 'PartiallyFilled' | 'Filled' | 'Cancelled' | 'Rejected';
  cumExecQty: number;
  cumExecValue: number;
  cumExecFee: number;
  readonly feeCoin: string;
  readonly createdTime: number;
  updatedTime: number;
  /** Hidden from queries and cancels before this time (simulated propagation lag). */
  readonly visibleAt: number;
  /** What the order holds of the wallet: quote for buys, base for sells. */
  locked: number;
}

export interface WalletEntry {
  total: number;
  locked: number;
}

/** Creation request fields after parsing. */
export interface CreateRequest {
  readonly symbol: string;
  readonly side: string;
  readonly orderType: string;
  readonly qty: string;
  readonly price?: string;
  readonly orderLinkId?: string;
  readonly timeInForce?: string;
  readonly marketUnit?: string;
}

function decimals(step: string): number {
  return step.includes('.') ? (step.split('.')[1] as string).replace(/0+$/, '').length : 0;
}

function onStep(value: number, step: number): boolean {
  const q = value / step;
  return Math.abs(q - Math.round(q)) < 1e-6;
}

const EPS = 1e-12;

/**
 * The server's ledger: instruments, the price path, wallet balances and orders, with
 * matching of resting limit orders against the candles as the clock moves on.
 */
export class BybitState {
  readonly instruments = new Map<string, BybitSpotInstrument>();
  readonly orders = new Map<string, ServerOrder>();
  readonly wallet = new Map<string, WalletEntry>();
  /** Every order the server ever accepted, in creation order (duplicates would show here). */
  readonly created: ServerOrder[] = [];
  private readonly byLinkId = new Map<string, string>();
  private readonly priceOverride = new Map<string, number>();
  private seq = 0;
  visibilityDelayMs = 0;
  /** Refuse a second order with a used orderLinkId (Bybit does); off to let duplicates show. */
  uniqueClientIds = true;

  constructor(
    instruments: readonly BybitSpotInstrument[],
    readonly candles: Map<string, readonly Candle[]>,
    readonly candleIntervalMs: number,
    balances: Readonly<Record<string, number>>,
    private readonly clock: ServerClock,
    readonly feeRate: number,
  ) {
    for (const i of instruments) this.instruments.set(i.symbol, i);
    for (const [coin, total] of Object.entries(balances)) this.wallet.set(coin, { total, locked: 0 });
  }

  now(): number {
    return this.clock.now();
  }

  /** Pins the price of `symbol` (overrides the candles) and matches resting orders against it. */
  setPrice(symbol: string, price: number): void {
    this.priceOverride.set(symbol, price);
    this.sync();
  }

  /** Last traded price: the override, else the close of the last closed candle, else the first open. */
  price(symbol: string): number | undefined {
    const pinned = this.priceOverride.get(symbol);
    if (pinned !== undefined) return pinned;
    const cs = this.candles.get(symbol);
    if (!cs || cs.length === 0) return undefined;
    const now = this.now();
    let last: Candle | undefined;
    for (const c of cs) {
      if (c.time + this.candleIntervalMs <= now) last = c;
      else break;
    }
    return last ? last.close : (cs[0] as Candle).open;
  }

  instrument(symbol: string | undefined): BybitSpotInstrument {
    const inst = symbol === undefined ? undefined : this.instruments.get(symbol);
    if (!inst) throw new BybitApiError(10001, 'Not supported symbols');
    return inst;
  }

  /** Orders the outside world can see now. */
  visibleOrders(): ServerOrder[] {
    const now = this.now();
    return [...this.orders.values()].filter((o) => o.visibleAt <= now);
  }

  findVisible(orderId: string | undefined, orderLinkId: string | undefined): ServerOrder | undefined {
    const id = orderId || (orderLinkId ? this.byLinkId.get(orderLinkId) : undefined);
    const o = id === undefined ? undefined : this.orders.get(id);
    return o && o.visibleAt <= this.now() ? o : undefined;
  }

  balanceOf(coin: string): WalletEntry {
    let w = this.wallet.get(coin);
    if (!w) this.wallet.set(coin, (w = { total: 0, locked: 0 }));
    return w;
  }

  createOrder(req: CreateRequest): ServerOrder {
    this.sync();
    const inst = this.instrument(req.symbol);
    if (inst.status !== 'Trading') throw new BybitApiError(170210, 'New order rejected.');
    if (this.uniqueClientIds && req.orderLinkId && this.byLinkId.has(req.orderLinkId)) throw new BybitApiError(170141, 'Duplicate clientOrderId.');
    const side = req.side === 'Buy' ? 'Buy' : req.side === 'Sell' ? 'Sell' : undefined;
    const type = req.orderType === 'Market' ? 'Market' : req.orderType === 'Limit' ? 'Limit' : undefined;
    if (!side || !type) throw new BybitApiError(10001, 'params error: side or orderType invalid');
    if (type === 'Market' && req.marketUnit !== 'baseCoin') throw new BybitApiError(10001, 'params error: this server supports marketUnit=baseCoin only');
    const qty = Number(req.qty);
    const step = Number(inst.lotSizeFilter.basePrecision);
    if (!(qty > 0)) throw new BybitApiError(10001, 'params error: qty invalid');
    if (!onStep(qty, step) || (req.qty.split('.')[1]?.length ?? 0) > decimals(inst.lotSizeFilter.basePrecision)) {
      throw new BybitApiError(170137, 'Order volume decimal too long.');
    }
    if (qty < Number(inst.lotSizeFilter.minOrderQty) - EPS) throw new BybitApiError(170136, 'Order quantity lower than the minimum.');
    if (qty > Number(inst.lotSizeFilter.maxOrderQty) + EPS) throw new BybitApiError(170135, 'Order quantity too large.');
    const last = this.price(inst.symbol);
    let price = 0;
    if (type === 'Limit') {
      price = Number(req.price);
      if (!(price > 0)) throw new BybitApiError(10001, 'params error: price invalid');
      if (!onStep(price, Number(inst.priceFilter.tickSize))) throw new BybitApiError(170134, 'Order price decimal too long.');
    } else if (last === undefined) {
      throw new BybitApiError(170210, 'New order rejected.');
    }
    const refPrice = type === 'Limit' ? price : (last as number);
    if (qty * refPrice < Number(inst.lotSizeFilter.minOrderAmt) - EPS) throw new BybitApiError(170140, 'Order value exceeded lower limit.');
    const lockCoin = side === 'Buy' ? inst.quoteCoin : inst.baseCoin;
    const lockAmount = side === 'Buy' ? qty * refPrice : qty;
    const w = this.balanceOf(lockCoin);
    if (w.total - w.locked < lockAmount - EPS) throw new BybitApiError(170131, 'Insufficient balance.');
    w.locked += lockAmount;
    this.seq += 1;
    const now = this.now();
    const order: ServerOrder = {
      orderId: String(1_900_000_000_000 + this.seq),
      orderLinkId: req.orderLinkId ?? '',
      symbol: inst.symbol,
      side,
      orderType: type,
      price,
      qty,
      timeInForce: type === 'Market' ? 'IOC' : req.timeInForce ?? 'GTC',
      status: 'New',
      cumExecQty: 0,
      cumExecValue: 0,
      cumExecFee: 0,
      feeCoin: side === 'Buy' ? inst.baseCoin : inst.quoteCoin,
      createdTime: now,
      updatedTime: now,
      visibleAt: now + this.visibilityDelayMs,
      locked: lockAmount,
    };
    this.orders.set(order.orderId, order);
    if (order.orderLinkId) this.byLinkId.set(order.orderLinkId, order.orderId);
    this.created.push(order);
    if (type === 'Market') this.fill(order, last as number);
    else if (req.timeInForce === 'PostOnly' && last !== undefined && (side === 'Buy' ? price >= last : price <= last)) {
      this.release(order);
      order.status = 'Cancelled';
    } else if (last !== undefined && (side === 'Buy' ? price >= last : price <= last)) this.fill(order, last);
    return order;
  }

  cancelOrder(symbol: string, orderId: string | undefined, orderLinkId: string | undefined): ServerOrder {
    this.sync();
    const o = this.findVisible(orderId, orderLinkId);
    if (!o || o.symbol !== symbol) throw new BybitApiError(170213, 'Order does not exist.');
    if (o.status !== 'New' && o.status !== 'PartiallyFilled') throw new BybitApiError(170142, 'Order has been canceled or filled.');
    this.release(o);
    o.status = 'Cancelled';
    o.updatedTime = this.now();
    return o;
  }

  /** Matches resting limit orders against the current price. */
  sync(): void {
    for (const o of this.orders.values()) {
      if (o.orderType !== 'Limit' || (o.status !== 'New' && o.status !== 'PartiallyFilled')) continue;
      const p = this.price(o.symbol);
      if (p === undefined) continue;
      if (o.side === 'Buy' ? p <= o.price : p >= o.price) this.fill(o, o.price);
    }
  }

  private fill(o: ServerOrder, price: number): void {
    const inst = this.instrument(o.symbol);
    const qty = o.qty - o.cumExecQty;
    const value = qty * price;
    const base = this.balanceOf(inst.baseCoin);
    const quote = this.balanceOf(inst.quoteCoin);
    if (o.side === 'Buy') {
      const fee = qty * this.feeRate;
      quote.locked -= o.locked;
      quote.total -= value;
      base.total += qty - fee;
      o.cumExecFee += fee;
    } else {
      const fee = value * this.feeRate;
      base.locked -= o.locked;
      base.total -= qty;
      quote.total += value - fee;
      o.cumExecFee += fee;
    }
    o.locked = 0;
    o.cumExecQty = o.qty;
    o.cumExecValue += value;
    o.status = 'Filled';
    o.updatedTime = this.now();
  }

  private release(o: ServerOrder): void {
    const inst = this.instrument(o.symbol);
    this.balanceOf(o.side === 'Buy' ? inst.quoteCoin : inst.baseCoin).locked -= o.locked;
    o.locked = 0;
  }

  /** Candles of `symbol` at `intervalMs` (aggregated from the stored width), open time within [start, end]. */
  klines(symbol: string, intervalMs: number, start: number | undefined, end: number | undefined): Candle[] {
    const base = this.candles.get(symbol) ?? [];
    if (intervalMs < this.candleIntervalMs || intervalMs % this.candleIntervalMs !== 0) return [];
    const now = this.now();
    const out: Candle[] = [];
    for (const c of base) {
      if (c.time > now) break;
      const t = c.time - (c.time % intervalMs);
      const prev = out[out.length - 1];
      if (prev && prev.time === t) {
        out[out.length - 1] = { time: t, open: prev.open, high: Math.max(prev.high, c.high), low: Math.min(prev.low, c.low), close: c.close, volume: prev.volume + c.volume };
      } else out.push({ ...c, time: t });
    }
    return out.filter((c) => (start === undefined || c.time >= start) && (end === undefined || c.time <= end));
  }
}

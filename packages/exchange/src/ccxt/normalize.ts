import {
  type Balances,
  type Candle,
  type FeePaid,
  type Market,
  type Order,
  type OrderBook,
  type OrderPurpose,
  type OrderStatus,
  type Ticker,
  KairosError,
  StepCounter,
} from '@kairos/core';
import type { CcxtBalanceEntry, CcxtMarket, CcxtOrder, CcxtOrderBook, CcxtTicker } from './ccxt-like';

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const num = (x: unknown, fallback = 0): number => (finite(x) ? x : fallback);

/** A garbage answer (truncated JSON, missing fields): worth retrying, never worth trusting. */
export function badResponse(exchange: string, what: string): KairosError {
  return new KairosError('EXCHANGE_ERROR', `${exchange}: malformed response (${what})`, { retryable: true, details: { exchange, malformed: what } });
}

/** A ccxt spot market as a Kairos market. Precision in ccxt 4 is a step size (TICK_SIZE mode). */
export function toMarket(m: CcxtMarket): Market {
  return {
    symbol: m.symbol,
    base: m.base,
    quote: m.quote,
    active: m.active !== false,
    amountStep: num(m.precision.amount, 0),
    priceStep: num(m.precision.price, 0),
    minAmount: num(m.limits.amount?.min, 0),
    ...(finite(m.limits.amount?.max) ? { maxAmount: m.limits.amount?.max as number } : {}),
    minNotional: num(m.limits.cost?.min, 0),
    makerFee: num(m.maker, 0.001),
    takerFee: num(m.taker, 0.001),
  };
}

export function toTicker(exchange: string, symbol: string, t: CcxtTicker, now: number): Ticker {
  const last = finite(t.last) ? t.last : t.close;
  if (!finite(last)) throw badResponse(exchange, `ticker ${symbol} has no last price`);
  return {
    symbol,
    time: num(t.timestamp, now),
    last,
    ...(finite(t.bid) ? { bid: t.bid } : {}),
    ...(finite(t.ask) ? { ask: t.ask } : {}),
    ...(finite(t.quoteVolume) ? { quoteVolume: t.quoteVolume } : {}),
    ...(finite(t.baseVolume) ? { baseVolume: t.baseVolume } : {}),
    ...(finite(t.percentage) ? { percentage: t.percentage } : {}),
  };
}

export function toCandle(exchange: string, row: ReadonlyArray<number | null | undefined>): Candle {
  const [time, open, high, low, close, volume] = row;
  if (!finite(time) || !finite(open) || !finite(high) || !finite(low) || !finite(close)) throw badResponse(exchange, 'candle row');
  return { time, open, high, low, close, volume: num(volume) };
}

export function toOrderBook(exchange: string, symbol: string, b: CcxtOrderBook, now: number): OrderBook {
  if (!Array.isArray(b.bids) || !Array.isArray(b.asks)) throw badResponse(exchange, `order book ${symbol}`);
  const levels = (side: CcxtOrderBook['bids']): Array<readonly [number, number]> =>
    side.filter((l) => finite(l[0]) && finite(l[1])).map((l) => [l[0] as number, l[1] as number] as const);
  return { symbol, time: num(b.timestamp, now), bids: levels(b.bids), asks: levels(b.asks) };
}

/** ccxt's unified balance: one entry per currency plus the free/used/total maps, which we skip. */
export function toBalances(raw: Record<string, unknown>): Balances {
  const out: Record<string, { currency: string; free: number; used: number; total: number }> = {};
  for (const [ccy, v] of Object.entries(raw)) {
    if (['info', 'free', 'used', 'total', 'debt', 'timestamp', 'datetime'].includes(ccy) || typeof v !== 'object' || v === null) continue;
    const e = v as CcxtBalanceEntry;
    const total = num(e.total, num(e.free) + num(e.used));
    const used = num(e.used, Math.max(0, total - num(e.free)));
    const free = num(e.free, Math.max(0, total - used));
    if (total === 0 && free === 0 && used === 0) continue;
    out[ccy] = { currency: ccy, free, used, total };
  }
  return out;
}

function toStatus(o: CcxtOrder, filled: number, amount: number, counter: StepCounter | undefined): OrderStatus {
  // Whole steps compare exactly; without a step, within a relative billionth.
  const complete = counter ? counter.count(filled) >= counter.count(amount) : filled + amount * 1e-9 >= amount;
  switch (o.status) {
    case 'open':
      return filled > 0 ? 'partially_filled' : 'open';
    case 'closed':
      return complete ? 'filled' : 'canceled';
    case 'canceled':
    case 'cancelled':
      return 'canceled';
    case 'rejected':
      return 'rejected';
    case 'expired':
      return 'expired';
    default:
      return 'submitted';
  }
}

function toFees(o: CcxtOrder): FeePaid[] {
  const list = o.fees && o.fees.length > 0 ? o.fees : o.fee ? [o.fee] : [];
  const byCcy = new Map<string, number>();
  for (const f of list) if (f.currency && finite(f.cost)) byCcy.set(f.currency, (byCcy.get(f.currency) ?? 0) + f.cost);
  return [...byCcy].map(([currency, cost]) => ({ currency, cost }));
}

/** What the adapter knows about an order besides the venue's answer. */
export interface OrderHints {
  readonly symbol: string;
  readonly purpose?: OrderPurpose;
  readonly clientOrderId?: string;
  readonly now: number;
  readonly fallback?: Order;
  /**
   * The market's amount step: amounts the venue reports on the step up to float noise
   * become the exact multiple (0.30000000000000004 → 0.3), so fills counted in steps
   * add up; an off-step amount is kept as reported.
   */
  readonly amountStep?: number;
}

function onStep(value: number, counter: StepCounter | undefined): number {
  return counter && counter.isWhole(value) ? counter.amountOf(counter.count(value)) : value;
}

/** A ccxt order as a Kairos order. Missing fields come from `hints.fallback` (what we sent). */
export function toOrder(exchange: string, o: CcxtOrder, hints: OrderHints): Order {
  const fb = hints.fallback;
  const id = o.id ?? fb?.id;
  if (!id) throw badResponse(exchange, 'order without id');
  const side = o.side === 'buy' || o.side === 'sell' ? o.side : fb?.side;
  const type = o.type === 'market' || o.type === 'limit' ? o.type : fb?.type;
  if (!side || !type) throw badResponse(exchange, `order ${id} without side or type`);
  const counter = hints.amountStep !== undefined && hints.amountStep > 0 ? new StepCounter(hints.amountStep) : undefined;
  const amount = onStep(num(o.amount, fb?.amount ?? 0), counter);
  const filled = onStep(num(o.filled, fb?.filled ?? 0), counter);
  const average = finite(o.average) && o.average > 0 ? o.average : filled > 0 && finite(o.cost) ? o.cost / filled : fb?.average ?? 0;
  const price = finite(o.price) && o.price > 0 ? o.price : fb?.price;
  const createdAt = num(o.timestamp, fb?.createdAt ?? hints.now);
  const status = o.status ? toStatus(o, filled, amount, counter) : fb?.status ?? 'submitted';
  return {
    id,
    clientOrderId: o.clientOrderId ?? hints.clientOrderId ?? fb?.clientOrderId ?? '',
    symbol: o.symbol ?? hints.symbol,
    side,
    type,
    purpose: hints.purpose ?? fb?.purpose ?? (side === 'buy' ? 'entry' : 'exit'),
    status,
    amount,
    ...(price !== undefined && type === 'limit' ? { price } : {}),
    filled,
    average,
    fees: o.fees || o.fee ? toFees(o) : fb?.fees ?? [],
    createdAt,
    updatedAt: num(o.lastUpdateTimestamp, num(o.lastTradeTimestamp, createdAt)),
  };
}

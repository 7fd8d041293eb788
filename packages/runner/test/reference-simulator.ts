/**
 * An independent reference for what the Engine + SimulatedExchange pair must do on a
 * candle replay with market orders only, written from the fill and order rules, not
 * from the engine: it imports nothing of the engine, the portfolio or the simulated
 * exchange (only StepCounter, to convert amounts to whole steps and back).
 *
 * Amounts are integers of amount steps throughout (held, ordered, filled, capacity);
 * only cash and prices are doubles. Cash follows the same products (reserve, fill cost,
 * what a buy may still draw) so that affordability decided to the cent compares exactly.
 * The rules it implements:
 *
 * - Feed: candles in open-time order, ties in series order. Per candle of a symbol:
 *   its open orders are matched, their fills are booked, then the strategy's signal of
 *   that candle is acted on at the candle's close.
 * - Market orders fill from the next candle on, at open × (1 ± slippage), taker fee in
 *   quote. Capacity per candle and symbol is volume × participation, shared by the
 *   symbol's open orders in creation order; an order takes min(remaining steps,
 *   floor(capacity / step)) steps, and the whole remainder when what it would leave is
 *   under the minimum amount.
 * - A buy sets aside amount × close × (1 + slippage) × (1 + max(maker, taker)) when it
 *   is placed; a fill that costs more draws on free cash; a buy that cannot pay for its
 *   fill fills what it can afford and expires.
 * - Orders are refused (and counted) when under the minimum amount or notional
 *   (amount × last close), or when a buy's reserve is more than the free cash. The same
 *   code three times in a row for a symbol pauses its orders for 24 bars, doubling on
 *   each further pause; an accepted order resets both.
 * - Buy signal, flat and no entry open: an entry of `size(...)` steps. Sell signal with
 *   a position and no exit open: an entry still open is cancelled, then every held step
 *   is sold; if what is held is under the minimum amount or notional at the close, no
 *   order is sent and the position closes as dust (kept, and added to the next position).
 * - Buy signal over a position that cannot be sold (as above) and no order open: the
 *   position closes as dust and the entry goes ahead, so dust never blocks an entry.
 * - A round trip closes when a sell fill leaves less than max(minAmount, one step).
 */
import { type Candle, StepCounter } from '@kairos/core';

export type Direction = 'buy' | 'sell' | 'hold';

export interface RefMarket {
  readonly symbol: string;
  readonly amountStep: number;
  readonly minAmount: number;
  readonly minNotional: number;
  readonly makerFee: number;
  readonly takerFee: number;
}

export interface RefSeries {
  readonly market: RefMarket;
  readonly candles: readonly Candle[];
  /** The strategy's signal on candle i (decided at its close); undefined = none. */
  readonly signals: ReadonlyArray<Direction | undefined>;
}

export interface SizeInput {
  /** Cash of the account as booked from fills (what a risk policy sees as free quote). */
  readonly cash: number;
  readonly close: number;
  readonly market: RefMarket;
}

export interface RefOptions {
  readonly cash: number;
  readonly timeframeMs: number;
  readonly slippageBps: number;
  readonly volumeParticipation: number;
  /** Entry size in whole amount steps (0 = no order). */
  readonly size: (input: SizeInput) => number;
  readonly pauseRepeats?: number;
  readonly pauseBars?: number;
}

export interface RefFill {
  readonly time: number;
  readonly steps: number;
  readonly price: number;
}

export interface RefOrder {
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly purpose: 'entry' | 'exit';
  /** Close time of the candle it was decided on. */
  readonly decidedAt: number;
  readonly steps: number;
  filledSteps: number;
  status: 'open' | 'filled' | 'canceled' | 'expired';
  readonly fills: RefFill[];
  /** Internal: quote set aside (buys), and the exchange time it was created at. */
  reserved: number;
  readonly createdAt: number;
}

export interface RefTrade {
  readonly symbol: string;
  readonly entryTime: number;
  readonly exitTime: number;
  /** Steps bought over the round trip. */
  readonly amountSteps: number;
  readonly pnl: number;
  /** Quote spent on the round trip's buys, fees included (the scale of its pnl). */
  readonly buyCost: number;
  /** Closed as dust (something was held that could not be sold), on a sell or a buy signal. */
  readonly dust: false | 'sell' | 'buy';
}

export interface RefRejection {
  readonly time: number;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly code: string;
}

export interface RefPause {
  readonly symbol: string;
  readonly code: string;
  readonly from: number;
  readonly until: number;
}

export interface RefResult {
  readonly trades: RefTrade[];
  readonly orders: RefOrder[];
  readonly rejections: RefRejection[];
  readonly pauses: RefPause[];
  readonly openPositions: number;
  /** Held steps per symbol at the end (position and dust). */
  readonly held: Record<string, number>;
  readonly cash: number;
}

interface RoundTrip {
  readonly openedAt: number;
  bought: number;
  buyCost: number;
  proceeds: number;
}

interface SymbolBook {
  readonly market: RefMarket;
  readonly counter: StepCounter;
  readonly minSteps: number;
  /** Orders not yet ended, in creation order. */
  open: RefOrder[];
  /** Steps held: the position's, or dust while flat. */
  units: number;
  position: RoundTrip | undefined;
  streak: { code: string; count: number } | undefined;
  pauses: number;
  pausedUntil: number | undefined;
}

/** Orders of more steps than this are refused as invalid by the venue model. */
const MAX_STEPS = 2 ** 48;

export function simulateReference(series: readonly RefSeries[], opts: RefOptions): RefResult {
  const slip = opts.slippageBps / 10_000;
  const repeats = opts.pauseRepeats ?? 3;
  const pauseMs = (opts.pauseBars ?? 24) * opts.timeframeMs;
  const trades: RefTrade[] = [];
  const orders: RefOrder[] = [];
  const rejections: RefRejection[] = [];
  const pauses: RefPause[] = [];
  /** Free quote at the venue (cash not set aside for buys). */
  let free = opts.cash;
  /** Quote as booked from fills. */
  let cash = opts.cash;
  /** The venue's clock: the latest candle close seen. */
  let now = 0;

  const moveFree = (delta: number): void => {
    free = Math.max(0, free + delta);
  };

  const books: SymbolBook[] = series.map((s) => {
    const counter = new StepCounter(s.market.amountStep > 0 ? s.market.amountStep : 1e-8);
    return { market: s.market, counter, minSteps: s.market.minAmount > 0 ? counter.ceil(s.market.minAmount) : 0, open: [], units: 0, position: undefined, streak: undefined, pauses: 0, pausedUntil: undefined };
  });

  const closeTrade = (b: SymbolBook, time: number, dust: RefTrade['dust']): void => {
    const p = b.position as RoundTrip;
    trades.push({ symbol: b.market.symbol, entryTime: p.openedAt, exitTime: time, amountSteps: p.bought, pnl: p.proceeds - p.buyCost, buyCost: p.buyCost, dust });
    b.position = undefined;
  };

  const release = (o: RefOrder): void => {
    if (o.side === 'buy' && o.reserved > 0) moveFree(o.reserved);
    o.reserved = 0;
  };

  const book = (b: SymbolBook, o: RefOrder, time: number, steps: number, price: number, gross: number, fee: number): void => {
    o.fills.push({ time, steps, price });
    if (o.side === 'buy') {
      b.position ??= { openedAt: time, bought: 0, buyCost: 0, proceeds: 0 };
      cash -= gross + fee;
      b.units += steps;
      b.position.bought += steps;
      b.position.buyCost += gross + fee;
      return;
    }
    const p = b.position;
    if (!p) throw new Error(`reference: sell fill of ${b.market.symbol} with no position`);
    if (steps > b.units) throw new Error(`reference: sold ${steps} steps of ${b.market.symbol} holding ${b.units}`);
    cash += gross - fee;
    p.proceeds += gross - fee;
    b.units -= steps;
    if (b.units < Math.max(b.minSteps, 1)) closeTrade(b, time, false);
  };

  /** Fills `o` on candle `c` from `capacity` (base units); returns the base amount taken. */
  const match = (b: SymbolBook, o: RefOrder, c: Candle, capacity: number): number => {
    const { counter, market } = b;
    const price = o.side === 'buy' ? c.open * (1 + slip) : c.open * (1 - slip);
    const feeRate = market.takerFee;
    const remaining = o.steps - o.filledSteps;
    let want = Math.min(remaining, counter.floor(capacity));
    // The tail rule: never leave a remainder under the minimum amount.
    if (want < remaining && remaining - want < b.minSteps) want = remaining;
    let fill = want;
    let short = false;
    if (o.side === 'buy') {
      // Pay for the fill from what the order set aside, topped up from free cash.
      const need = counter.amountOf(want) * price * (1 + feeRate) - o.reserved;
      const take = Math.min(Math.max(0, need), free);
      if (take > 0) {
        moveFree(-take);
        o.reserved += take;
      }
      const unitCost = price * (1 + feeRate);
      if (!(counter.amountOf(want) * unitCost <= o.reserved * (1 + 1e-12))) fill = Math.min(want, counter.floor(o.reserved / unitCost));
      short = fill < want;
    }
    if (!(fill > 0)) {
      if (short) {
        release(o);
        o.status = 'expired';
      }
      return 0;
    }
    const amount = counter.amountOf(fill);
    const gross = amount * price;
    const fee = gross * feeRate;
    if (o.side === 'buy') o.reserved -= Math.min(gross + fee, o.reserved);
    else moveFree(gross - fee);
    o.filledSteps += fill;
    book(b, o, c.time, fill, price, gross, fee);
    if (o.filledSteps === o.steps) {
      release(o);
      o.status = 'filled';
    } else if (short) {
      release(o);
      o.status = 'expired';
    }
    return amount;
  };

  const reject = (b: SymbolBook, time: number, side: 'buy' | 'sell', code: string): void => {
    rejections.push({ time, symbol: b.market.symbol, side, code });
    const count = b.streak && b.streak.code === code ? b.streak.count + 1 : 1;
    b.streak = { code, count };
    if (count < repeats) return;
    b.streak = undefined;
    b.pauses += 1;
    const until = time + pauseMs * 2 ** Math.min(5, b.pauses - 1);
    b.pausedUntil = until;
    pauses.push({ symbol: b.market.symbol, code, from: time, until });
  };

  const submit = (b: SymbolBook, side: 'buy' | 'sell', steps: number, time: number, close: number): void => {
    if (b.pausedUntil !== undefined) {
      if (time < b.pausedUntil) return;
      b.pausedUntil = undefined;
    }
    const { market, counter } = b;
    const amount = counter.amountOf(steps);
    if (steps > MAX_STEPS) return reject(b, time, side, 'ORDER_INVALID');
    if (!(steps > 0) || amount < market.minAmount) return reject(b, time, side, 'ORDER_BELOW_MINIMUM');
    if (amount * close < market.minNotional * (1 - 1e-9)) return reject(b, time, side, 'ORDER_BELOW_MINIMUM');
    let reserved = 0;
    if (side === 'buy') {
      const reserve = amount * (close * (1 + slip)) * (1 + Math.max(market.makerFee, market.takerFee));
      if (!(reserve <= free + Math.abs(free) * 1e-12)) return reject(b, time, side, 'INSUFFICIENT_FUNDS');
      reserved = Math.min(reserve, free);
      moveFree(-reserved);
    } else if (steps > b.units) {
      return reject(b, time, side, 'INSUFFICIENT_FUNDS');
    }
    b.streak = undefined;
    b.pauses = 0;
    const o: RefOrder = { symbol: market.symbol, side, purpose: side === 'buy' ? 'entry' : 'exit', decidedAt: time, steps, filledSteps: 0, status: 'open', fills: [], reserved, createdAt: now };
    orders.push(o);
    b.open.push(o);
  };

  const decide = (b: SymbolBook, c: Candle, direction: Direction | undefined): void => {
    const time = c.time + opts.timeframeMs;
    const { market, counter } = b;
    /** Whether the venue would refuse to sell what is held, at this close. */
    const unsellable = () => {
      const amount = counter.amountOf(b.units);
      return !(b.units > 0) || amount < market.minAmount || amount * c.close < market.minNotional * (1 - 1e-9);
    };
    if (direction === 'buy') {
      if (b.open.some((o) => o.purpose === 'entry')) return;
      if (b.position) {
        // A position too small to sell is dust: it closes and the entry goes ahead.
        if (b.open.some((o) => o.purpose === 'exit') || !unsellable()) return;
        closeTrade(b, time, 'buy');
      }
      const steps = opts.size({ cash, close: c.close, market });
      if (steps > 0) submit(b, 'buy', steps, time, c.close);
      return;
    }
    if (direction !== 'sell' || !b.position || b.open.some((o) => o.purpose === 'exit')) return;
    for (const o of b.open.filter((x) => x.purpose === 'entry')) {
      release(o);
      o.status = 'canceled';
    }
    b.open = b.open.filter((o) => o.status === 'open');
    if (unsellable()) {
      closeTrade(b, time, 'sell');
      return;
    }
    submit(b, 'sell', b.units, time, c.close);
  };

  const events: Array<{ s: number; i: number; t: number }> = [];
  series.forEach((s, si) => s.candles.forEach((c, i) => events.push({ s: si, i, t: c.time })));
  events.sort((x, y) => x.t - y.t || x.s - y.s);

  for (const { s, i } of events) {
    const b = books[s] as SymbolBook;
    const c = (series[s] as RefSeries).candles[i] as Candle;
    now = Math.max(now, c.time);
    let capacity = c.volume * opts.volumeParticipation;
    for (const o of b.open) {
      if (o.createdAt > c.time) continue;
      if (capacity <= 0) break;
      capacity -= match(b, o, c, capacity);
    }
    b.open = b.open.filter((o) => o.status === 'open');
    now = Math.max(now, c.time + opts.timeframeMs);
    decide(b, c, (series[s] as RefSeries).signals[i]);
  }

  const held: Record<string, number> = {};
  for (const b of books) held[b.market.symbol] = b.units;
  return { trades, orders, rejections, pauses, openPositions: books.filter((b) => b.position).length, held, cash };
}

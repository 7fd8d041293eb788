import type { Fill } from '../domain/order';
import { StepCounter } from '../domain/step-counter';
import type { Position, Trade } from '../domain/position';
import type { EquityPoint } from '../events/event-map';
import { KairosError } from '../errors/kairos-error';

/**
 * Base held, counted exactly: whole steps that may be sold, plus a residue under one step
 * (what a base-currency fee leaves), which is never sellable and stays in equity.
 */
interface Holding {
  units: number;
  residue: number;
  readonly counter: StepCounter;
}

interface OpenRoundTrip extends Holding {
  entryValue: number; // Σ price × amount of buys, fees excluded
  bought: number;
  buyCost: number; // quote spent on buys, fees included
  costRemaining: number; // part of buyCost still attached to what is held
  proceeds: number; // quote received on sells, net of fees
  exitValue: number; // Σ price × amount of sells
  sold: number;
  fees: number; // all fees valued in quote
  realized: number;
  openedAt: number;
  lastPrice: number;
  entryReason: string | undefined;
}

export interface FillContext {
  /** Amounts below this are dust: a round trip ends when what is held falls under it. */
  readonly dustAmount: number;
  /**
   * The market's amount step: what is held is counted in whole steps of it, so split fills
   * add up exactly and the sellable amount is never above what was bought. Defaults to 1e-8.
   */
  readonly amountStep?: number;
  readonly strategyId: string;
  readonly reason?: string;
}

export interface FillOutcome {
  readonly opened: boolean;
  readonly closed?: Trade;
}

/**
 * Spot portfolio accounting for one user in one quote currency: cash, positions with
 * average entry, realized and unrealized PnL, fees in quote or base currency, and the
 * equity curve. A round trip runs from flat to flat and becomes a `Trade`.
 */
export class Portfolio {
  private cashBalance: number;
  private readonly open = new Map<string, OpenRoundTrip>();
  private readonly dust = new Map<string, Holding & { price: number }>();
  private readonly counters = new Map<number, StepCounter>();
  // The equity curve, one sample per closed bar: kept in columns so a long run does not
  // carry (and the collector does not keep copying) one object per bar; the points are
  // built when `equityCurve` is read.
  private curveTime: Float64Array;
  private curveEquity: Float64Array;
  private curveCash: Float64Array;
  private curveLen = 0;
  /** Points of the curve built so far by `equityCurve` (a prefix of the samples). */
  private readonly curvePoints: EquityPoint[] = [];
  private tradeSeq = 0;
  /** Last `positions` snapshot; dropped whenever a fill or a mark changes what it shows. */
  private positionsCache: ReadonlyMap<string, Position> | undefined;

  /**
   * @param expectedSamples equity samples the run is expected to record (a backtest knows
   *   its bars): the curve is sized once instead of regrown; it still grows past it.
   */
  constructor(
    readonly userId: string,
    readonly quote: string,
    initialCash: number,
    expectedSamples = 256,
  ) {
    if (!(initialCash >= 0)) throw new KairosError('INTERNAL', `initial cash must be >= 0, got ${initialCash}`);
    this.cashBalance = initialCash;
    const capacity = Math.max(16, Math.floor(expectedSamples) || 0);
    this.curveTime = new Float64Array(capacity);
    this.curveEquity = new Float64Array(capacity);
    this.curveCash = new Float64Array(capacity);
  }

  get cash(): number {
    return this.cashBalance;
  }

  /** Applies one fill. Callers make fills unique (by fill id) before calling. */
  applyFill(fill: Fill, base: string, ctx: FillContext): FillOutcome {
    this.positionsCache = undefined;
    const gross = fill.price * fill.amount;
    const feeInBase = fill.fee.currency === base;
    const feeQuote = feeInBase ? fill.fee.cost * fill.price : fill.fee.currency === this.quote ? fill.fee.cost : 0;
    let rt = this.open.get(fill.symbol);
    if (fill.side === 'buy') {
      const opened = rt === undefined;
      if (!rt) {
        const dust = this.dust.get(fill.symbol);
        this.dust.delete(fill.symbol);
        const counter = this.counterFor(ctx.amountStep);
        // Dust counted in another step (a changed market) is carried over as an amount.
        const carried = dust && dust.counter !== counter ? dust.counter.amountOf(dust.units) + dust.residue : 0;
        rt = {
          units: dust && dust.counter === counter ? dust.units : 0,
          residue: dust && dust.counter === counter ? dust.residue : 0,
          counter,
          entryValue: 0,
          bought: 0,
          buyCost: 0,
          costRemaining: 0,
          proceeds: 0,
          exitValue: 0,
          sold: 0,
          fees: 0,
          realized: 0,
          openedAt: fill.time,
          lastPrice: fill.price,
          entryReason: ctx.reason,
        };
        this.open.set(fill.symbol, rt);
        if (carried > 0) addAmount(rt, carried);
      }
      const cost = gross + (feeInBase ? 0 : feeQuote);
      this.cashBalance -= cost;
      addAmount(rt, fill.amount);
      if (feeInBase) subtractAmount(rt, fill.fee.cost);
      rt.entryValue += gross;
      rt.bought += fill.amount;
      // A base-currency fee is paid by receiving less, not with cash: cost is the cash out.
      rt.buyCost += cost;
      rt.costRemaining += cost;
      rt.fees += feeQuote;
      rt.lastPrice = fill.price;
      return { opened };
    }
    if (!rt) {
      throw new KairosError('INTERNAL', `sell fill ${fill.id} for ${fill.symbol} with no position held`);
    }
    const held = heldAmount(rt);
    const out = fill.amount + (feeInBase ? fill.fee.cost : 0);
    const net = gross - (feeInBase ? 0 : feeQuote);
    const share = held > 0 ? Math.min(1, out / held) : 1;
    const costPart = rt.costRemaining * share;
    this.cashBalance += net;
    subtractAmount(rt, fill.amount);
    if (feeInBase) subtractAmount(rt, fill.fee.cost);
    rt.costRemaining -= costPart;
    rt.realized += net - costPart;
    rt.proceeds += net;
    rt.exitValue += gross;
    rt.sold += fill.amount;
    rt.fees += feeQuote;
    rt.lastPrice = fill.price;
    if (rt.counter.amountOf(rt.units) >= ctx.dustAmount) return { opened: false };
    return { opened: false, closed: this.closeRoundTrip(fill.symbol, rt, fill.time, fill.price, ctx) };
  }

  /**
   * Ends `symbol`'s round trip although something is still held, because what is held
   * cannot be sold (under the market's minimum amount or notional): it becomes dust, which
   * stays in equity at market price and joins the next position, and the trade closes
   * on what was sold. Undefined when no position is open.
   */
  settleAsDust(symbol: string, time: number, ctx: Pick<FillContext, 'strategyId' | 'reason'>): Trade | undefined {
    const rt = this.open.get(symbol);
    if (!rt) return undefined;
    this.positionsCache = undefined;
    return this.closeRoundTrip(symbol, rt, time, rt.lastPrice, ctx);
  }

  /**
   * Lowers what is held in `symbol` to at most `amount` (whole steps), keeping the cost
   * basis in proportion: used when a restart finds the venue holding less than the
   * stored fills say. Returns the amount removed.
   */
  clampHolding(symbol: string, amount: number): number {
    const rt = this.open.get(symbol);
    if (!rt) return 0;
    const before = heldAmount(rt);
    if (!(before > amount)) return 0;
    this.positionsCache = undefined;
    const units = Math.max(0, rt.counter.floor(amount));
    rt.costRemaining *= before > 0 ? rt.counter.amountOf(units) / before : 0;
    rt.units = units;
    rt.residue = 0;
    return before - rt.counter.amountOf(units);
  }

  /** Dust held per symbol (amounts too small to sell), at last prices. */
  get dustHoldings(): ReadonlyMap<string, { amount: number; price: number }> {
    const out = new Map<string, { amount: number; price: number }>();
    for (const [symbol, d] of this.dust) out.set(symbol, { amount: heldAmount(d), price: d.price });
    return out;
  }

  private closeRoundTrip(symbol: string, rt: OpenRoundTrip, time: number, price: number, ctx: Pick<FillContext, 'strategyId' | 'reason'>): Trade {
    this.open.delete(symbol);
    if (rt.units > 0 || rt.residue > 0) this.dust.set(symbol, { units: rt.units, residue: rt.residue, counter: rt.counter, price });
    this.tradeSeq += 1;
    const pnl = rt.proceeds - rt.buyCost;
    const trade: Trade = {
      id: `${this.userId}:${symbol}:${rt.openedAt}:${this.tradeSeq}`,
      userId: this.userId,
      symbol,
      side: 'long',
      strategyId: ctx.strategyId,
      entryTime: rt.openedAt,
      entryPrice: rt.bought > 0 ? rt.entryValue / rt.bought : 0,
      exitTime: time,
      // Nothing sold (all of it dust): the price it was left at.
      exitPrice: rt.sold > 0 ? rt.exitValue / rt.sold : price,
      amount: rt.bought,
      pnl,
      pnlPct: rt.buyCost > 0 ? (pnl / rt.buyCost) * 100 : 0,
      fees: rt.fees,
      entryReason: rt.entryReason,
      exitReason: ctx.reason,
    };
    return trade;
  }

  private counterFor(step: number | undefined): StepCounter {
    const unit = step !== undefined && step > 0 ? step : 1e-8;
    let c = this.counters.get(unit);
    if (!c) this.counters.set(unit, (c = new StepCounter(unit)));
    return c;
  }

  /**
   * Rebuilds open positions from the fills of earlier runs (after a restart). Cash is not
   * touched: it comes from the exchange balance, which already reflects those fills.
   */
  restorePositions(
    fills: readonly Fill[],
    marketOf: (symbol: string) => { base: string; dustAmount: number; amountStep?: number } | undefined,
    strategyId: string,
  ): void {
    const replay = new Portfolio(this.userId, this.quote, 0);
    for (const f of [...fills].sort((a, b) => a.time - b.time || a.id.localeCompare(b.id))) {
      const m = marketOf(f.symbol);
      if (m === undefined || (f.side === 'sell' && !replay.open.has(f.symbol))) continue;
      replay.applyFill(f, m.base, { dustAmount: m.dustAmount, strategyId, ...(m.amountStep !== undefined ? { amountStep: m.amountStep } : {}) });
    }
    this.positionsCache = undefined;
    for (const [symbol, rt] of replay.open) this.open.set(symbol, { ...rt });
    for (const [symbol, d] of replay.dust) this.dust.set(symbol, { ...d });
  }

  /** Marks a symbol to a new price for unrealized PnL and equity. */
  mark(symbol: string, price: number): void {
    // Called on every candle: a flat book skips the lookups.
    const rt = this.open.size > 0 ? this.open.get(symbol) : undefined;
    if (rt && rt.lastPrice !== price) {
      rt.lastPrice = price;
      this.positionsCache = undefined;
    }
    const d = this.dust.size > 0 ? this.dust.get(symbol) : undefined;
    if (d) d.price = price;
  }

  /**
   * Base held in `symbol` that may be sold: whole amount steps, never more than was
   * bought (0 when flat). A residue under one step is in the position's amount, not here.
   */
  amountHeld(symbol: string): number {
    const rt = this.open.get(symbol);
    return rt ? rt.counter.amountOf(rt.units) : 0;
  }

  hasPosition(symbol: string): boolean {
    return this.open.has(symbol);
  }

  /**
   * Open positions at last prices. A snapshot: later fills and marks never change a map
   * already handed out (a new one is built then), so callers may keep it.
   */
  get positions(): ReadonlyMap<string, Position> {
    if (this.positionsCache) return this.positionsCache;
    const out = new Map<string, Position>();
    for (const [symbol, rt] of this.open) {
      const amount = heldAmount(rt);
      const value = amount * rt.lastPrice;
      out.set(symbol, {
        symbol,
        amount,
        avgEntryPrice: rt.bought > 0 ? rt.entryValue / rt.bought : 0,
        costBasis: rt.costRemaining,
        realizedPnl: rt.realized,
        fees: rt.fees,
        openedAt: rt.openedAt,
        lastPrice: rt.lastPrice,
        unrealizedPnl: value - rt.costRemaining,
      });
    }
    this.positionsCache = out;
    return out;
  }

  /** Cash plus everything held (dust included) at last prices. */
  equity(): number {
    let total = this.cashBalance;
    // Called once per bar: a flat book (the common case) skips the map iterators.
    if (this.open.size > 0) for (const rt of this.open.values()) total += heldAmount(rt) * rt.lastPrice;
    if (this.dust.size > 0) for (const d of this.dust.values()) total += heldAmount(d) * d.price;
    return total;
  }

  /** Appends an equity sample; samples at the same time replace the last one. */
  recordEquity(time: number): EquityPoint {
    this.sampleEquity(time);
    const i = this.curveLen - 1;
    return { time, equity: this.curveEquity[i] as number, cash: this.curveCash[i] as number };
  }

  /**
   * Same as {@link recordEquity} without building the point (the per-bar path of a
   * backtest, where nobody looks at it until the run ends).
   */
  sampleEquity(time: number): void {
    const equity = this.equity();
    let i = this.curveLen;
    if (i > 0 && this.curveTime[i - 1] === time) {
      i -= 1;
      // An already built point of this sample is out of date: drop it.
      if (this.curvePoints.length > i) this.curvePoints.length = i;
    } else {
      if (i === this.curveTime.length) this.growCurve();
      this.curveLen = i + 1;
    }
    this.curveTime[i] = time;
    this.curveEquity[i] = equity;
    this.curveCash[i] = this.cashBalance;
  }

  /**
   * The equity samples in time order. The same array is returned on every read and is
   * brought up to date by each read (it grows as samples are recorded).
   */
  get equityCurve(): readonly EquityPoint[] {
    const points = this.curvePoints;
    for (let i = points.length; i < this.curveLen; i++) {
      points.push({ time: this.curveTime[i] as number, equity: this.curveEquity[i] as number, cash: this.curveCash[i] as number });
    }
    return points;
  }

  private growCurve(): void {
    const grow = (a: Float64Array) => {
      const b = new Float64Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.curveTime = grow(this.curveTime);
    this.curveEquity = grow(this.curveEquity);
    this.curveCash = grow(this.curveCash);
  }
}

function heldAmount(h: Holding): number {
  return h.residue > 0 ? h.counter.amountOf(h.units) + h.residue : h.counter.amountOf(h.units);
}

/**
 * Adds `amount`: a whole number of steps (up to float noise: a fee of 0.0000020000000000000003
 * is 200 steps of 1e-8) exactly; an off-step part goes to the residue.
 */
function addAmount(h: Holding, amount: number): void {
  const k = h.counter.isWhole(amount) ? h.counter.count(amount) : h.counter.floor(amount);
  h.units += k;
  const rest = amount - h.counter.amountOf(k);
  if (rest > 0) carryResidue(h, h.residue + rest);
}

/** Takes `amount` away: whole steps exactly; an off-step amount takes a whole step and returns the difference to the residue. */
function subtractAmount(h: Holding, amount: number): void {
  const k = h.counter.isWhole(amount) ? h.counter.count(amount) : h.counter.ceil(amount);
  h.units -= k;
  const back = h.counter.amountOf(k) - amount;
  if (back > 0) carryResidue(h, h.residue + back);
  if (h.units < 0) {
    // Sold more than was held (a venue's rounding): nothing is left.
    h.units = 0;
    h.residue = 0;
  }
}

function carryResidue(h: Holding, residue: number): void {
  const whole = residue >= h.counter.step ? h.counter.floor(residue) : 0;
  h.units += whole;
  h.residue = whole > 0 ? residue - h.counter.amountOf(whole) : residue;
}

import type { Fill } from '../domain/order';
import type { Position, Trade } from '../domain/position';
import type { EquityPoint } from '../events/event-map';
import { KairosError } from '../errors/kairos-error';

interface OpenRoundTrip {
  amount: number;
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
  private readonly dust = new Map<string, { amount: number; price: number }>();
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
        rt = {
          amount: dust?.amount ?? 0,
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
      }
      const cost = gross + (feeInBase ? 0 : feeQuote);
      this.cashBalance -= cost;
      rt.amount += fill.amount - (feeInBase ? fill.fee.cost : 0);
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
    const held = rt.amount;
    const out = fill.amount + (feeInBase ? fill.fee.cost : 0);
    const net = gross - (feeInBase ? 0 : feeQuote);
    const share = held > 0 ? Math.min(1, out / held) : 1;
    const costPart = rt.costRemaining * share;
    this.cashBalance += net;
    rt.amount = Math.max(0, held - out);
    rt.costRemaining -= costPart;
    rt.realized += net - costPart;
    rt.proceeds += net;
    rt.exitValue += gross;
    rt.sold += fill.amount;
    rt.fees += feeQuote;
    rt.lastPrice = fill.price;
    if (rt.amount >= ctx.dustAmount) return { opened: false };

    this.open.delete(fill.symbol);
    if (rt.amount > 0) this.dust.set(fill.symbol, { amount: rt.amount, price: fill.price });
    this.tradeSeq += 1;
    const pnl = rt.proceeds - rt.buyCost;
    const trade: Trade = {
      id: `${this.userId}:${fill.symbol}:${rt.openedAt}:${this.tradeSeq}`,
      userId: this.userId,
      symbol: fill.symbol,
      side: 'long',
      strategyId: ctx.strategyId,
      entryTime: rt.openedAt,
      entryPrice: rt.bought > 0 ? rt.entryValue / rt.bought : 0,
      exitTime: fill.time,
      exitPrice: rt.sold > 0 ? rt.exitValue / rt.sold : 0,
      amount: rt.bought,
      pnl,
      pnlPct: rt.buyCost > 0 ? (pnl / rt.buyCost) * 100 : 0,
      fees: rt.fees,
      entryReason: rt.entryReason,
      exitReason: ctx.reason,
    };
    return { opened: false, closed: trade };
  }

  /**
   * Rebuilds open positions from the fills of earlier runs (after a restart). Cash is not
   * touched: it comes from the exchange balance, which already reflects those fills.
   */
  restorePositions(fills: readonly Fill[], marketOf: (symbol: string) => { base: string; dustAmount: number } | undefined, strategyId: string): void {
    const replay = new Portfolio(this.userId, this.quote, 0);
    for (const f of [...fills].sort((a, b) => a.time - b.time || a.id.localeCompare(b.id))) {
      const m = marketOf(f.symbol);
      if (m === undefined || (f.side === 'sell' && !replay.open.has(f.symbol))) continue;
      replay.applyFill(f, m.base, { dustAmount: m.dustAmount, strategyId });
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

  /** Base units held in `symbol` (0 when flat). */
  amountHeld(symbol: string): number {
    return this.open.get(symbol)?.amount ?? 0;
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
      const value = rt.amount * rt.lastPrice;
      out.set(symbol, {
        symbol,
        amount: rt.amount,
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
    if (this.open.size > 0) for (const rt of this.open.values()) total += rt.amount * rt.lastPrice;
    if (this.dust.size > 0) for (const d of this.dust.values()) total += d.amount * d.price;
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

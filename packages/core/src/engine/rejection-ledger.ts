import type { OrderPurpose, OrderSide } from '../domain/order';

/** An order the exchange refused, kept for the report. */
export interface OrderRejection {
  readonly time: number;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly purpose: OrderPurpose;
  /** The error code (INSUFFICIENT_FUNDS, ORDER_BELOW_MINIMUM, ...). */
  readonly code: string;
  readonly reason: string;
}

/** How many times the exchange refused orders of one symbol with one code. */
export interface RejectionCount {
  readonly symbol: string;
  readonly code: string;
  readonly count: number;
}

/** A symbol whose orders were held back after the same rejection repeated. */
export interface SymbolPause {
  readonly symbol: string;
  readonly code: string;
  readonly reason: string;
  /** Identical rejections in a row that caused it. */
  readonly repeats: number;
  readonly from: number;
  readonly until: number;
}

/** When repeated rejections pause a symbol, and for how long. */
export interface RejectionPauseOptions {
  /** The same rejection this many times in a row for a symbol pauses its orders (default 3). */
  readonly repeats?: number;
  /** The first pause, in ms; each further pause of the symbol doubles it, up to 32 times. */
  readonly pauseMs: number;
}

/** Rejections kept in full for the report; beyond this only the counts grow. */
const KEEP = 10_000;

/**
 * Counts the exchange's rejections by symbol and code, and pauses a symbol's orders when
 * the same rejection repeats, instead of sending the same doomed order on every candle.
 */
export class RejectionLedger {
  private readonly kept: OrderRejection[] = [];
  private readonly counts = new Map<string, { symbol: string; code: string; count: number }>();
  private readonly streaks = new Map<string, { code: string; count: number }>();
  private readonly paused = new Map<string, SymbolPause>();
  private readonly pauseCount = new Map<string, number>();
  private readonly history: SymbolPause[] = [];
  private readonly repeats: number;

  constructor(private readonly options: RejectionPauseOptions) {
    this.repeats = Math.max(1, options.repeats ?? 3);
  }

  /** Records a rejection; returns the pause it starts, if it is the repeat that starts one. */
  record(r: OrderRejection): SymbolPause | undefined {
    if (this.kept.length < KEEP) this.kept.push(r);
    const key = `${r.symbol}\u0000${r.code}`;
    const c = this.counts.get(key);
    if (c) c.count += 1;
    else this.counts.set(key, { symbol: r.symbol, code: r.code, count: 1 });

    const streak = this.streaks.get(r.symbol);
    const count = streak && streak.code === r.code ? streak.count + 1 : 1;
    this.streaks.set(r.symbol, { code: r.code, count });
    if (count < this.repeats) return undefined;
    this.streaks.delete(r.symbol);
    const n = (this.pauseCount.get(r.symbol) ?? 0) + 1;
    this.pauseCount.set(r.symbol, n);
    const pause: SymbolPause = { symbol: r.symbol, code: r.code, reason: r.reason, repeats: count, from: r.time, until: r.time + this.options.pauseMs * 2 ** Math.min(5, n - 1) };
    this.paused.set(r.symbol, pause);
    this.history.push(pause);
    return pause;
  }

  /** An order of `symbol` was accepted: its streak of rejections ends. */
  accepted(symbol: string): void {
    this.streaks.delete(symbol);
    this.pauseCount.delete(symbol);
  }

  /** The pause holding `symbol`'s orders back at `now`, if any. */
  pauseOf(symbol: string, now: number): SymbolPause | undefined {
    if (this.paused.size === 0) return undefined;
    const p = this.paused.get(symbol);
    if (p === undefined) return undefined;
    if (now < p.until) return p;
    this.paused.delete(symbol);
    return undefined;
  }

  /** The rejections, in order (the first 10,000; `counts` has them all). */
  get rejections(): readonly OrderRejection[] {
    return this.kept;
  }

  /** Rejections by symbol and code, most frequent first. */
  get rejectionCounts(): readonly RejectionCount[] {
    return [...this.counts.values()].map((c) => ({ ...c })).sort((a, b) => b.count - a.count || a.symbol.localeCompare(b.symbol) || a.code.localeCompare(b.code));
  }

  /** Every pause started so far. */
  get pauses(): readonly SymbolPause[] {
    return this.history;
  }

  get total(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c.count;
    return n;
  }
}

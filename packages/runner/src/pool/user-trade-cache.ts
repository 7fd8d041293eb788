import type { Position, Trade } from '@kairos/core';
import { type PoolEntry, entryFromPosition, entryFromTrade, markEntry, openEntryId } from './pool-entry';

/**
 * One user's trades since the last transfer to the global pool, plus their open
 * positions (which stay here: the user's cache is where they are kept current).
 */
export class UserTradeCache {
  private readonly closed = new Map<string, PoolEntry>();
  private readonly open = new Map<string, PoolEntry>();

  constructor(readonly userId: string) {}

  /** Adds a closed trade; the user's open row in that symbol ends with it. */
  recordTrade(trade: Trade): void {
    this.closed.set(trade.id, entryFromTrade(trade));
    const open = this.open.get(trade.symbol);
    if (open && open.entryTime <= trade.exitTime) this.open.delete(trade.symbol);
  }

  /** Sets the open row from the portfolio's view of the position; an empty position removes it. */
  trackPosition(strategyId: string, position: Position, time: number): void {
    if (!(position.amount > 0)) this.open.delete(position.symbol);
    else this.open.set(position.symbol, entryFromPosition(this.userId, strategyId, position, time));
  }

  /**
   * Starts an open row from a first fill when no portfolio view is at hand. Its cost is
   * price × amount (fees unknown) until `trackPosition` brings the exact one.
   */
  openTrade(symbol: string, strategyId: string, time: number, price: number, amount: number): void {
    if (this.open.has(symbol) || !(amount > 0) || !(price > 0)) return;
    this.open.set(symbol, {
      id: openEntryId(this.userId, symbol),
      userId: this.userId,
      symbol,
      strategyId,
      status: 'open',
      entryTime: time,
      entryPrice: price,
      amount,
      pnl: 0,
      pnlPct: 0,
      unrealizedPnl: 0,
      costBasis: price * amount,
      lastPrice: price,
      fees: 0,
      updatedAt: time,
    });
  }

  /** Marks the open row of `symbol`, if any, to a new price. */
  markPrice(symbol: string, price: number, time: number): boolean {
    const e = this.open.get(symbol);
    if (!e) return false;
    this.open.set(symbol, markEntry(e, price, time));
    return true;
  }

  /** Removes and returns the closed trades, oldest exit first: what a transfer moves. */
  takeClosed(): PoolEntry[] {
    const out = [...this.closed.values()].sort((a, b) => (a.exitTime ?? 0) - (b.exitTime ?? 0));
    this.closed.clear();
    return out;
  }

  /** Puts closed rows back, e.g. after a failed transfer; newer rows with the same id win. */
  restoreClosed(entries: readonly PoolEntry[]): void {
    for (const e of entries) if (!this.closed.has(e.id)) this.closed.set(e.id, e);
  }

  closedEntries(): PoolEntry[] {
    return [...this.closed.values()];
  }

  openEntries(): PoolEntry[] {
    return [...this.open.values()];
  }

  get pendingTrades(): number {
    return this.closed.size;
  }
}

import type { Position, Trade } from '@kairos/core';

/** `open`: a position still held; `closed`: a finished round trip (a `Trade`). */
export type PoolEntryStatus = 'open' | 'closed';

/**
 * One row of the trade pool: a closed trade, or an open position marked to the latest
 * price. Closed rows keep the id of their `Trade`; an open row's id is
 * `open:<userId>:<symbol>` (spot is long only, so one open position per user and symbol).
 */
export interface PoolEntry {
  readonly id: string;
  readonly userId: string;
  readonly symbol: string;
  readonly strategyId: string;
  readonly status: PoolEntryStatus;
  readonly entryTime: number;
  readonly entryPrice: number;
  /** Base units: bought over the round trip (closed) or held now (open). */
  readonly amount: number;
  readonly exitTime?: number;
  readonly exitPrice?: number;
  /** Closed: net realized PnL. Open: realized so far in the round trip plus unrealized. */
  readonly pnl: number;
  /** Closed: `Trade.pnlPct`. Open: unrealized PnL relative to the cost of what is held, in percent. */
  readonly pnlPct: number;
  /** Open only (0 when closed): value at `lastPrice` minus the cost of what is held. */
  readonly unrealizedPnl: number;
  /** Open only: quote cost (fees included) of what is held. */
  readonly costBasis: number;
  readonly lastPrice: number;
  readonly fees: number;
  /** Last time the row changed (ms). */
  readonly updatedAt: number;
  readonly entryReason?: string;
  readonly exitReason?: string;
}

/** Id of a user's open row in a symbol. */
export function openEntryId(userId: string, symbol: string): string {
  return `open:${userId}:${symbol}`;
}

/** The pool row of a closed trade. */
export function entryFromTrade(t: Trade): PoolEntry {
  return {
    id: t.id,
    userId: t.userId,
    symbol: t.symbol,
    strategyId: t.strategyId,
    status: 'closed',
    entryTime: t.entryTime,
    entryPrice: t.entryPrice,
    amount: t.amount,
    exitTime: t.exitTime,
    exitPrice: t.exitPrice,
    pnl: t.pnl,
    pnlPct: t.pnlPct,
    unrealizedPnl: 0,
    costBasis: 0,
    lastPrice: t.exitPrice,
    fees: t.fees,
    updatedAt: t.exitTime,
    ...(t.entryReason !== undefined ? { entryReason: t.entryReason } : {}),
    ...(t.exitReason !== undefined ? { exitReason: t.exitReason } : {}),
  };
}

/** The pool row of an open position. */
export function entryFromPosition(userId: string, strategyId: string, p: Position, time: number): PoolEntry {
  return {
    id: openEntryId(userId, p.symbol),
    userId,
    symbol: p.symbol,
    strategyId,
    status: 'open',
    entryTime: p.openedAt,
    entryPrice: p.avgEntryPrice,
    amount: p.amount,
    pnl: p.realizedPnl + p.unrealizedPnl,
    pnlPct: p.costBasis > 0 ? (p.unrealizedPnl / p.costBasis) * 100 : 0,
    unrealizedPnl: p.unrealizedPnl,
    costBasis: p.costBasis,
    lastPrice: p.lastPrice,
    fees: p.fees,
    updatedAt: time,
  };
}

/**
 * An open row marked to a new price: unrealized PnL = amount × price − cost of what is
 * held. Closed rows and non-positive prices are returned unchanged.
 */
export function markEntry(e: PoolEntry, price: number, time: number): PoolEntry {
  if (e.status !== 'open' || !(price > 0)) return e;
  const realized = e.pnl - e.unrealizedPnl;
  const unrealized = e.amount * price - e.costBasis;
  return {
    ...e,
    lastPrice: price,
    unrealizedPnl: unrealized,
    pnl: realized + unrealized,
    pnlPct: e.costBasis > 0 ? (unrealized / e.costBasis) * 100 : 0,
    updatedAt: Math.max(e.updatedAt, time),
  };
}

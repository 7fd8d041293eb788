import { type Clock, type EventBus, type Logger, NullLogger, type Position, type Trade, type TradeQuery, type TradeStore } from '@kairos/core';
import { GlobalTradePool } from './global-trade-pool';
import { type PoolEntry, entryFromTrade } from './pool-entry';
import { type PoolQuery, comparePoolEntries, matchesQuery } from './pool-query';
import { UserTradeCache } from './user-trade-cache';

export interface TradePoolOptions {
  /** Where transferred trades are kept for good (`saveTrade` is idempotent by id); optional. */
  readonly store?: Pick<TradeStore, 'saveTrade' | 'listTrades'>;
  readonly clock?: Pick<Clock, 'now'>;
  readonly logger?: Logger;
}

/** What one transfer did. */
export interface TransferResult {
  readonly users: number;
  readonly trades: number;
  /** Trades the store refused; they stay in their user's cache for the next transfer. */
  readonly failed: number;
}

/**
 * The multi-user trade pool: a cache per user, where new trades and open positions
 * land, and a global pool of closed trades that the caches are transferred to on a
 * schedule (`PoolScheduler`). Queries see both, so a trade is visible from the moment it
 * is recorded. Open positions are marked to market as prices arrive. The pool is a
 * working set in memory: retention drops old closed trades from it, while the store
 * keeps them.
 */
export class TradePool {
  private readonly caches = new Map<string, UserTradeCache>();
  readonly global = new GlobalTradePool();
  private readonly store: TradePoolOptions['store'];
  private readonly clock: Pick<Clock, 'now'>;
  private readonly logger: Logger;
  private transferring: Promise<TransferResult> | undefined;

  constructor(options: TradePoolOptions = {}) {
    this.store = options.store;
    this.clock = options.clock ?? { now: () => Date.now() };
    this.logger = options.logger ?? new NullLogger();
  }

  /** The user's cache, created on first use. */
  cache(userId: string): UserTradeCache {
    let c = this.caches.get(userId);
    if (!c) {
      c = new UserTradeCache(userId);
      this.caches.set(userId, c);
    }
    return c;
  }

  recordTrade(trade: Trade): void {
    this.cache(trade.userId).recordTrade(trade);
  }

  trackPosition(userId: string, strategyId: string, position: Position): void {
    this.cache(userId).trackPosition(strategyId, position, this.clock.now());
  }

  /** Marks every user's open position in `symbol` to `price`; returns how many moved. */
  updatePrice(symbol: string, price: number, time = this.clock.now()): number {
    let n = 0;
    for (const c of this.caches.values()) if (c.markPrice(symbol, price, time)) n += 1;
    return n;
  }

  /** Trades waiting in user caches for the next transfer. */
  get pendingTrades(): number {
    let n = 0;
    for (const c of this.caches.values()) n += c.pendingTrades;
    return n;
  }

  /**
   * Moves every user's closed trades into the global pool and saves them to the store.
   * Trades the store refuses go back to their cache. Concurrent calls share one run.
   */
  transfer(): Promise<TransferResult> {
    this.transferring ??= this.runTransfer().finally(() => {
      this.transferring = undefined;
    });
    return this.transferring;
  }

  /** Retention: drops closed trades that exited more than `retentionMs` ago from the pool. */
  cleanup(retentionMs: number): number {
    const removed = this.global.removeClosedBefore(this.clock.now() - retentionMs);
    if (removed > 0) this.logger.info({ removed, retentionMs }, 'trade pool retention');
    return removed;
  }

  /** Pool rows (global and cached, open and closed) matching the query, in pool order. */
  query(q: PoolQuery = {}): PoolEntry[] {
    const seen = new Set<string>();
    const out: PoolEntry[] = [];
    const caches = q.userId !== undefined ? [this.caches.get(q.userId)].filter((c) => c !== undefined) : [...this.caches.values()];
    for (const c of caches) {
      const rows = q.status === 'closed' ? c.closedEntries() : q.status === 'open' ? c.openEntries() : [...c.closedEntries(), ...c.openEntries()];
      for (const e of rows) {
        if (matchesQuery(e, q)) {
          seen.add(e.id);
          out.push(e);
        }
      }
    }
    for (const e of this.global.query(q)) if (!seen.has(e.id)) out.push(e);
    return out.sort(comparePoolEntries);
  }

  /** Loads closed trades from the store into the global pool (e.g. after a restart). */
  async hydrate(query: TradeQuery = {}): Promise<number> {
    if (!this.store) return 0;
    const trades = await this.store.listTrades(query);
    return this.global.add(trades.map(entryFromTrade));
  }

  /**
   * Feeds the pool from an engine's bus: closed trades, first fills of new positions
   * and candle closes (as prices). Returns a function that detaches.
   */
  attach(bus: Pick<EventBus, 'on'>, strategyOf: (userId: string) => string = () => ''): () => void {
    const offs = [
      bus.on('trade.closed', ({ trade }) => this.recordTrade(trade)),
      bus.on('trade.opened', ({ userId, symbol, time, price, amount }) => this.cache(userId).openTrade(symbol, strategyOf(userId), time, price, amount)),
      bus.on('candle.closed', ({ symbol, candle }) => void this.updatePrice(symbol, candle.close, candle.time)),
    ];
    return () => {
      for (const off of offs) off();
    };
  }

  private async runTransfer(): Promise<TransferResult> {
    let users = 0;
    let trades = 0;
    let failed = 0;
    for (const c of this.caches.values()) {
      const rows = c.takeClosed();
      if (rows.length === 0) continue;
      users += 1;
      const kept: PoolEntry[] = [];
      const refused: PoolEntry[] = [];
      for (const row of rows) {
        try {
          if (this.store) await this.store.saveTrade(toTrade(row));
          kept.push(row);
        } catch (err) {
          refused.push(row);
          this.logger.error({ userId: row.userId, tradeId: row.id, error: err instanceof Error ? err.message : String(err) }, 'trade pool transfer: store refused a trade');
        }
      }
      this.global.add(kept);
      c.restoreClosed(refused);
      trades += kept.length;
      failed += refused.length;
    }
    this.logger.info({ users, trades, failed }, 'trade pool transfer');
    return { users, trades, failed };
  }
}

/** The `Trade` a closed pool row came from. */
export function toTrade(e: PoolEntry): Trade {
  return {
    id: e.id,
    userId: e.userId,
    symbol: e.symbol,
    side: 'long',
    strategyId: e.strategyId,
    entryTime: e.entryTime,
    entryPrice: e.entryPrice,
    exitTime: e.exitTime ?? e.updatedAt,
    exitPrice: e.exitPrice ?? e.lastPrice,
    amount: e.amount,
    pnl: e.pnl,
    pnlPct: e.pnlPct,
    fees: e.fees,
    ...(e.entryReason !== undefined ? { entryReason: e.entryReason } : {}),
    ...(e.exitReason !== undefined ? { exitReason: e.exitReason } : {}),
  };
}

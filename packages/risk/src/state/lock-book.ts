import type { Logger } from '@kairos/core';
import { StateCell, type RiskStateStore } from './state-cell';

/** A pause on new entries: for one symbol, or for all (`'*'`). */
export interface RiskLock {
  readonly symbol: string;
  readonly since: number;
  readonly until: number;
  readonly policyId: string;
  readonly reason: string;
}

/** Symbol value of a lock that covers every pair. */
export const ALL_SYMBOLS = '*';

/**
 * The locks one protection holds, persisted in the store so they survive a restart.
 * Locking a symbol that is already locked keeps the later end.
 */
export class LockBook {
  private readonly locks = new Map<string, RiskLock>();
  private readonly cell: StateCell<RiskLock[]>;

  constructor(store: RiskStateStore, key: string, logger?: Logger) {
    this.cell = new StateCell(store, key, logger);
  }

  async restore(): Promise<void> {
    const saved = await this.cell.load();
    this.locks.clear();
    for (const l of saved ?? []) {
      if (typeof l?.symbol === 'string' && Number.isFinite(l.until)) this.locks.set(l.symbol, l);
    }
  }

  lock(lock: RiskLock): void {
    const prev = this.locks.get(lock.symbol);
    if (prev && prev.until >= lock.until) return;
    this.locks.set(lock.symbol, lock);
    this.cell.save([...this.locks.values()]);
  }

  /** The lock covering `symbol` at `now` (a global lock first), if any. */
  active(symbol: string, now: number): RiskLock | undefined {
    for (const key of [ALL_SYMBOLS, symbol]) {
      const l = this.locks.get(key);
      if (l && now < l.until) return l;
    }
    return undefined;
  }

  /** All locks not yet expired at `now`. */
  list(now: number): RiskLock[] {
    return [...this.locks.values()].filter((l) => now < l.until);
  }

  clear(): void {
    this.locks.clear();
    this.cell.save(undefined);
  }

  flush(): Promise<void> {
    return this.cell.flush();
  }
}

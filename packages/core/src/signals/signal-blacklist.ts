import type { Clock } from '../ports/clock';
import type { TradeStore } from '../ports/trade-store';

/** Why and until when a symbol may not be signalled. */
export interface BlacklistEntry {
  readonly symbol: string;
  readonly reason: string;
  /** When it was added (ms). */
  readonly since: number;
  /** When it expires (ms); absent = until removed. */
  readonly until?: number;
}

export interface SignalBlacklistOptions {
  readonly clock?: Pick<Clock, 'now'>;
  /** Key prefix in the store, e.g. per user or per bot. */
  readonly prefix?: string;
}

/**
 * Symbols that must not produce signals (delisting announced, a hack, an operator's
 * call), kept in the `TradeStore`'s key/value cache so every process sharing the store
 * sees them. Entries expire through the store's TTL; the stored `until` is checked too,
 * so a store with coarse expiry never keeps a symbol blocked past its time.
 */
export class SignalBlacklist {
  private readonly clock: Pick<Clock, 'now'>;
  private readonly prefix: string;

  constructor(
    private readonly store: Pick<TradeStore, 'getValue' | 'setValue' | 'deleteValue'>,
    options: SignalBlacklistOptions = {},
  ) {
    this.clock = options.clock ?? { now: () => Date.now() };
    this.prefix = options.prefix ?? 'blacklist:';
  }

  /** Blocks `symbol` for `ttlMs` (or until removed), recording why. */
  async add(symbol: string, reason: string, ttlMs?: number): Promise<BlacklistEntry> {
    if (ttlMs !== undefined && !(ttlMs > 0)) throw new RangeError(`ttlMs must be > 0, got ${ttlMs}`);
    const since = this.clock.now();
    const entry: BlacklistEntry = ttlMs === undefined ? { symbol, reason, since } : { symbol, reason, since, until: since + ttlMs };
    await this.store.setValue(this.key(symbol), JSON.stringify(entry), ttlMs);
    return entry;
  }

  async remove(symbol: string): Promise<void> {
    await this.store.deleteValue(this.key(symbol));
  }

  /** The active entry for `symbol`, or undefined when it may trade. */
  async get(symbol: string): Promise<BlacklistEntry | undefined> {
    const raw = await this.store.getValue(this.key(symbol));
    if (raw === undefined) return undefined;
    let entry: BlacklistEntry;
    try {
      entry = JSON.parse(raw) as BlacklistEntry;
    } catch {
      // A value nobody can read still blocks: failing open could trade a banned symbol.
      return { symbol, reason: 'unreadable blacklist entry', since: 0 };
    }
    if (entry.until !== undefined && entry.until <= this.clock.now()) return undefined;
    return entry;
  }

  async has(symbol: string): Promise<boolean> {
    return (await this.get(symbol)) !== undefined;
  }

  private key(symbol: string): string {
    return `${this.prefix}${symbol}`;
  }
}

import type { TradeStore } from '@kairos/core';

/** A symbol the universe skips for a while, and why. */
export interface SymbolProblem {
  readonly symbol: string;
  readonly kind: 'problematic' | 'unsupported';
  readonly reason: string;
  /** When it may be tried again (ms). */
  readonly until: number;
}

/** The last tradable list the universe produced. */
export interface RememberedTradable {
  readonly symbols: readonly string[];
  readonly time: number;
}

/**
 * What the universe remembers between runs, kept in the `TradeStore`'s key/value cache
 * under `universe:<exchange>:…`: symbols to skip (with reason and expiry) and the last
 * tradable list. Expired problems are dropped on read, so a symbol is retried after its TTL.
 */
export class UniverseMemory {
  constructor(
    private readonly store: Pick<TradeStore, 'getValue' | 'setValue'>,
    private readonly exchange: string,
    private readonly now: () => number = Date.now,
  ) {}

  private key(name: string): string {
    return `universe:${this.exchange}:${name}`;
  }

  /** Problems still in force, by symbol. */
  async problems(): Promise<Map<string, SymbolProblem>> {
    const raw = await this.store.getValue(this.key('problems'));
    const out = new Map<string, SymbolProblem>();
    if (raw === undefined) return out;
    const now = this.now();
    for (const p of JSON.parse(raw) as SymbolProblem[]) if (p.until > now) out.set(p.symbol, p);
    return out;
  }

  /** Records problems (replacing older entries for the same symbols) for `ttlMs`. */
  async remember(items: ReadonlyArray<Omit<SymbolProblem, 'until'>>, ttlMs: number): Promise<void> {
    if (items.length === 0) return;
    const current = await this.problems();
    const until = this.now() + ttlMs;
    for (const p of items) current.set(p.symbol, { ...p, until });
    const list = [...current.values()].sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
    const longest = Math.max(...list.map((p) => p.until)) - this.now();
    await this.store.setValue(this.key('problems'), JSON.stringify(list), Math.max(1, longest));
  }

  async saveTradable(symbols: readonly string[], ttlMs: number): Promise<void> {
    const value: RememberedTradable = { symbols, time: this.now() };
    await this.store.setValue(this.key('tradable'), JSON.stringify(value), ttlMs);
  }

  async lastTradable(): Promise<RememberedTradable | undefined> {
    const raw = await this.store.getValue(this.key('tradable'));
    return raw === undefined ? undefined : (JSON.parse(raw) as RememberedTradable);
  }
}

import type { PoolEntry } from './pool-entry';
import { type PoolQuery, comparePoolEntries, matchesQuery } from './pool-query';

function addTo(index: Map<string, Set<string>>, key: string, id: string): void {
  const set = index.get(key);
  if (set) set.add(id);
  else index.set(key, new Set([id]));
}

function removeFrom(index: Map<string, Set<string>>, key: string, id: string): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(id);
  if (set.size === 0) index.delete(key);
}

/**
 * The pool of closed trades of all users, indexed by user and by symbol so that a query
 * for one user or one symbol does not scan everyone's trades.
 */
export class GlobalTradePool {
  private readonly rows = new Map<string, PoolEntry>();
  private readonly byUser = new Map<string, Set<string>>();
  private readonly bySymbol = new Map<string, Set<string>>();

  get size(): number {
    return this.rows.size;
  }

  /** Adds closed rows; a row with a known id replaces the old one. Open rows are ignored. */
  add(entries: Iterable<PoolEntry>): number {
    let added = 0;
    for (const e of entries) {
      if (e.status !== 'closed') continue;
      const prev = this.rows.get(e.id);
      if (prev) this.unindex(prev);
      else added += 1;
      this.rows.set(e.id, e);
      addTo(this.byUser, e.userId, e.id);
      addTo(this.bySymbol, e.symbol, e.id);
    }
    return added;
  }

  has(id: string): boolean {
    return this.rows.has(id);
  }

  /** Rows matching the query, in pool order. */
  query(q: PoolQuery = {}): PoolEntry[] {
    if (q.status === 'open') return [];
    let ids: Iterable<string> = this.rows.keys();
    const userIds = q.userId !== undefined ? (this.byUser.get(q.userId) ?? new Set<string>()) : undefined;
    const symbolIds = q.symbol !== undefined ? (this.bySymbol.get(q.symbol) ?? new Set<string>()) : undefined;
    if (userIds && symbolIds) ids = userIds.size <= symbolIds.size ? userIds : symbolIds;
    else ids = userIds ?? symbolIds ?? ids;
    const out: PoolEntry[] = [];
    for (const id of ids) {
      const e = this.rows.get(id);
      if (e && matchesQuery(e, q)) out.push(e);
    }
    return out.sort(comparePoolEntries);
  }

  /** Retention: drops closed rows that exited before `cutoff` (ms). Returns how many. */
  removeClosedBefore(cutoff: number): number {
    let removed = 0;
    for (const e of [...this.rows.values()]) {
      if ((e.exitTime ?? Number.POSITIVE_INFINITY) < cutoff) {
        this.rows.delete(e.id);
        this.unindex(e);
        removed += 1;
      }
    }
    return removed;
  }

  private unindex(e: PoolEntry): void {
    removeFrom(this.byUser, e.userId, e.id);
    removeFrom(this.bySymbol, e.symbol, e.id);
  }
}

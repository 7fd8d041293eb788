import type { PoolEntry, PoolEntryStatus } from './pool-entry';

/**
 * Which pool rows to return; every field narrows. Time range (ms, inclusive): a closed
 * row matches when it exited within [from, to] (as `TradeStore` queries do); an open
 * row matches when it was opened at or before `to` (it is still running at `from`).
 */
export interface PoolQuery {
  readonly userId?: string;
  readonly symbol?: string;
  readonly status?: PoolEntryStatus;
  readonly strategyId?: string;
  readonly from?: number;
  readonly to?: number;
}

export function matchesQuery(e: PoolEntry, q: PoolQuery): boolean {
  if (q.userId !== undefined && e.userId !== q.userId) return false;
  if (q.symbol !== undefined && e.symbol !== q.symbol) return false;
  if (q.status !== undefined && e.status !== q.status) return false;
  if (q.strategyId !== undefined && e.strategyId !== q.strategyId) return false;
  if (e.status === 'closed') {
    const t = e.exitTime ?? e.entryTime;
    if (q.from !== undefined && t < q.from) return false;
    if (q.to !== undefined && t > q.to) return false;
  } else if (q.to !== undefined && e.entryTime > q.to) return false;
  return true;
}

/** Pool order: by exit time (open rows last, by entry time), then id. */
export function comparePoolEntries(a: PoolEntry, b: PoolEntry): number {
  const ta = a.exitTime ?? Number.POSITIVE_INFINITY;
  const tb = b.exitTime ?? Number.POSITIVE_INFINITY;
  if (ta !== tb) return ta < tb ? -1 : 1;
  if (a.entryTime !== b.entryTime) return a.entryTime - b.entryTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

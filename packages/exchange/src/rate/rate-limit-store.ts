/** The answer of a take attempt. */
export interface TakeResult {
  readonly granted: boolean;
  /** When not granted: how long until enough of the window has expired (ms). */
  readonly waitMs: number;
}

/**
 * Where a sliding-window budget lives. `take` atomically grants `cost` units at time
 * `now` if the units granted in `(now − windowMs, now]` plus `cost` stay within `limit`.
 * One store shared by many adapters (and, with Redis, many processes) makes one budget.
 */
export interface RateLimitStore {
  take(key: string, cost: number, limit: number, windowMs: number, now: number): Promise<TakeResult>;
}

/**
 * Computes a take on an in-memory log of grants, oldest first. Shared by the memory
 * store and mirrored line by line in the Redis script.
 */
export function takeFromLog(log: Array<{ time: number; cost: number }>, cost: number, limit: number, windowMs: number, now: number): TakeResult {
  while (log.length > 0 && (log[0] as { time: number }).time <= now - windowMs) log.shift();
  let used = 0;
  for (const e of log) used += e.cost;
  if (used + cost <= limit) {
    log.push({ time: now, cost });
    return { granted: true, waitMs: 0 };
  }
  // Wait until the oldest grants have left the window and freed enough units.
  let freed = 0;
  for (const e of log) {
    freed += e.cost;
    if (used - freed + cost <= limit) return { granted: false, waitMs: Math.max(1, e.time + windowMs - now + 1) };
  }
  return { granted: false, waitMs: windowMs };
}

/** A budget for the processes of one box that share this object (all users in one process). */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly logs = new Map<string, Array<{ time: number; cost: number }>>();

  async take(key: string, cost: number, limit: number, windowMs: number, now: number): Promise<TakeResult> {
    let log = this.logs.get(key);
    if (!log) this.logs.set(key, (log = []));
    return takeFromLog(log, cost, limit, windowMs, now);
  }
}

import { type Logger, NullLogger, parseConfig } from '@kairos/core';
import { z } from 'zod';
import type { TradePool, TransferResult } from './trade-pool';

const DAY_MS = 86_400_000;

/** When the pool transfers and how long it keeps closed trades. */
export const PoolScheduleSchema = z.object({
  /** Time between transfers from user caches to the global pool; default 24 h. */
  transferEveryMs: z.number().int().min(1_000).default(DAY_MS),
  /** Closed trades older than this leave the pool (the store keeps them); default 90 days. */
  retentionMs: z.number().int().min(60_000).default(90 * DAY_MS),
});
export type PoolSchedule = z.infer<typeof PoolScheduleSchema>;

/** Timer functions, injectable so tests control time. */
export interface IntervalTimers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const systemTimers: IntervalTimers = {
  setInterval: (fn, ms) => {
    const h = setInterval(fn, ms);
    // A pending transfer must not keep a finished process alive.
    h.unref();
    return h;
  },
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
};

export interface PoolSchedulerOptions {
  readonly pool: Pick<TradePool, 'transfer' | 'cleanup'>;
  /** Partial schedule; validated, a bad value fails with a `ConfigError` naming `pool.<key>`. */
  readonly schedule?: Partial<PoolSchedule>;
  readonly timers?: IntervalTimers;
  readonly logger?: Logger;
}

/** One scheduled cycle: the transfer, then retention cleanup. */
export interface PoolCycle {
  readonly transfer: TransferResult;
  readonly removed: number;
}

/**
 * Runs the pool's transfer and retention cleanup every `transferEveryMs`. A cycle that
 * fails is logged and the next one runs as planned; `stop()` waits for a running cycle
 * and, with `flush`, transfers what is left.
 */
export class PoolScheduler {
  readonly schedule: PoolSchedule;
  private readonly pool: PoolSchedulerOptions['pool'];
  private readonly timers: IntervalTimers;
  private readonly logger: Logger;
  private handle: unknown;
  private running: Promise<PoolCycle | undefined> | undefined;

  constructor(options: PoolSchedulerOptions) {
    this.schedule = parseConfig(PoolScheduleSchema, options.schedule ?? {}, 'pool');
    this.pool = options.pool;
    this.timers = options.timers ?? systemTimers;
    this.logger = options.logger ?? new NullLogger();
  }

  get started(): boolean {
    return this.handle !== undefined;
  }

  start(): void {
    if (this.handle !== undefined) return;
    this.handle = this.timers.setInterval(() => void this.runOnce(), this.schedule.transferEveryMs);
  }

  /** Runs a cycle now; overlapping calls share the running cycle. Never rejects. */
  runOnce(): Promise<PoolCycle | undefined> {
    this.running ??= this.cycle().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async stop(options: { flush?: boolean } = {}): Promise<void> {
    if (this.handle !== undefined) this.timers.clearInterval(this.handle);
    this.handle = undefined;
    await this.running;
    if (options.flush) await this.runOnce();
  }

  private async cycle(): Promise<PoolCycle | undefined> {
    try {
      const transfer = await this.pool.transfer();
      const removed = this.pool.cleanup(this.schedule.retentionMs);
      return { transfer, removed };
    } catch (err) {
      this.logger.error({ error: err instanceof Error ? err.message : String(err) }, 'trade pool cycle failed');
      return undefined;
    }
  }
}

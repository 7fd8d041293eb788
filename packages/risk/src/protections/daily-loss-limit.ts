import { type OrderProposal, type RiskContext, type RiskDecision, type RiskPolicy, parseConfig } from '@kairos/core';
import { z } from 'zod';
import { pass } from '../decision';
import { ALL_SYMBOLS, LockBook } from '../state/lock-book';
import { StateCell } from '../state/state-cell';
import { type ProtectionDeps, lockedDecision, stateKey } from './protection-deps';

export const DailyLossLimitConfig = z.object({
  /** Loss of equity since the first sample of the UTC day, in percent, that stops entries until midnight. */
  maxLossPercent: z.number().gt(0).lt(100).default(5),
});
export type DailyLossLimitConfig = z.infer<typeof DailyLossLimitConfig>;

const DAY = 86_400_000;

/** Stops new entries for the rest of the UTC day once equity fell too far since the day began. */
export class DailyLossLimit implements RiskPolicy {
  readonly id = 'daily-loss-limit';
  readonly config: DailyLossLimitConfig;
  readonly locks: LockBook;
  private readonly cell: StateCell<{ day: number; start: number }>;
  private day = Number.NaN;
  private startEquity = 0;

  constructor(config: z.input<typeof DailyLossLimitConfig>, deps: ProtectionDeps, key = 'risk.protections.dailyLoss') {
    this.config = parseConfig(DailyLossLimitConfig, config, key);
    this.locks = new LockBook(deps.store, stateKey(deps, this.id), deps.logger);
    this.cell = new StateCell(deps.store, stateKey(deps, this.id, 'day'), deps.logger);
  }

  async start(): Promise<void> {
    await this.locks.restore();
    const d = await this.cell.load();
    if (d && Number.isFinite(d.day) && d.start > 0) {
      this.day = d.day;
      this.startEquity = d.start;
    }
  }

  async flush(): Promise<void> {
    await this.locks.flush();
    await this.cell.flush();
  }

  evaluate(p: OrderProposal, ctx: RiskContext): RiskDecision {
    if (p.purpose !== 'entry') return pass(p);
    return lockedDecision(this.locks, p.symbol, ctx.now) ?? pass(p);
  }

  onEquity(point: { time: number; equity: number }): void {
    const day = Math.floor(point.time / DAY);
    if (day !== this.day) {
      this.day = day;
      this.startEquity = point.equity;
      this.cell.save({ day, start: point.equity });
      return;
    }
    const loss = (1 - point.equity / this.startEquity) * 100;
    if (loss < this.config.maxLossPercent) return;
    this.locks.lock({
      symbol: ALL_SYMBOLS,
      since: point.time,
      until: (day + 1) * DAY,
      policyId: this.id,
      reason: `equity fell ${loss.toFixed(2)}% today (from ${this.startEquity.toFixed(2)} to ${point.equity.toFixed(2)}), limit ${this.config.maxLossPercent}%`,
    });
  }
}

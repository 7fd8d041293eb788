import { type OrderProposal, type RiskContext, type RiskDecision, parseConfig } from '@kairos/core';
import { z } from 'zod';
import { pass, reject, type RiskPart } from '../decision';

export const OrderRateLimitConfig = z.object({
  /** Orders approved per rolling minute at most. */
  maxOrdersPerMinute: z.number().int().min(1).max(100_000).default(10),
  /** Entries per UTC day at most, for this user. */
  maxDailyTrades: z.number().int().min(1).max(1_000_000).default(50),
  /** Also hold back exits at the per-minute limit (off: an exit is never delayed by a counter). */
  limitExits: z.boolean().default(false),
});
export type OrderRateLimitConfig = z.infer<typeof OrderRateLimitConfig>;

const DAY = 86_400_000;

/** Orders per minute and entries per UTC day, counted from what the whole chain approved. */
export class OrderRateLimit implements RiskPart {
  readonly id = 'order-rate-limit';
  readonly config: OrderRateLimitConfig;
  private readonly recent: number[] = [];
  private day = Number.NaN;
  private entriesToday = 0;

  constructor(config: z.input<typeof OrderRateLimitConfig> = {}, key = 'risk.limits') {
    this.config = parseConfig(OrderRateLimitConfig, config, key);
  }

  evaluate(p: OrderProposal, ctx: RiskContext): RiskDecision {
    const c = this.config;
    if (p.purpose === 'exit' && !c.limitExits) return pass(p);
    while (this.recent.length > 0 && (this.recent[0] as number) <= ctx.now - 60_000) this.recent.shift();
    if (this.recent.length >= c.maxOrdersPerMinute) return reject(this.id, `${this.recent.length} orders in the last minute, the maximum is ${c.maxOrdersPerMinute}`);
    if (p.purpose === 'entry') {
      const today = Math.floor(ctx.now / DAY);
      const count = today === this.day ? this.entriesToday : 0;
      if (count >= c.maxDailyTrades) return reject(this.id, `${count} entries today (UTC), the maximum is ${c.maxDailyTrades}`);
    }
    return pass(p);
  }

  onApproved(p: OrderProposal, ctx: RiskContext): void {
    this.recent.push(ctx.now);
    if (p.purpose !== 'entry') return;
    const today = Math.floor(ctx.now / DAY);
    if (today !== this.day) {
      this.day = today;
      this.entriesToday = 0;
    }
    this.entriesToday += 1;
  }
}

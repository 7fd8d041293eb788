import { type OrderProposal, type RiskContext, type RiskDecision, type RiskPolicy, floorToStep, parseConfig } from '@kairos/core';
import { z } from 'zod';

export const FixedFractionConfig = z.object({
  /** Share of equity committed to each new position, in (0, 1]. */
  fraction: z.number().gt(0).max(1).default(0.2),
  /** Cash kept aside for fees and slippage when spending the last of the balance. */
  feeBuffer: z.number().min(0).max(0.1).default(0.005),
});
export type FixedFractionConfig = z.infer<typeof FixedFractionConfig>;

/**
 * Sizes entries as a fixed fraction of equity, capped by free cash. Sizes are rounded
 * down to the market's amount step; an order under the market minimum after rounding is
 * rejected with the reason, never sent. Exits pass unchanged.
 */
export class FixedFractionSizing implements RiskPolicy {
  readonly id = 'fixed-fraction';
  readonly config: FixedFractionConfig;

  constructor(config: Partial<FixedFractionConfig> = {}) {
    this.config = parseConfig(FixedFractionConfig, config, 'risk.fixedFraction');
  }

  evaluate(p: OrderProposal, ctx: RiskContext): RiskDecision {
    if (p.purpose !== 'entry') return { verdict: 'approve', proposal: p, notes: [] };
    const { market } = ctx;
    const budget = Math.min(ctx.equity * this.config.fraction, ctx.freeQuote * (1 - this.config.feeBuffer));
    const amount = floorToStep(budget / p.price, market.amountStep);
    const reject = (reason: string): RiskDecision => ({ verdict: 'reject', policyId: this.id, reason, notes: [] });
    if (amount < market.minAmount || amount <= 0) {
      return reject(`size ${amount} ${market.base} is below the minimum amount ${market.minAmount}`);
    }
    if (amount * p.price < market.minNotional) {
      return reject(`size ${(amount * p.price).toFixed(2)} ${market.quote} is below the minimum notional ${market.minNotional}`);
    }
    const reason = `${(this.config.fraction * 100).toFixed(1)}% of equity ${ctx.equity.toFixed(2)} → ${amount} ${market.base}`;
    return {
      verdict: 'approve',
      proposal: { ...p, amount },
      notes: [{ policyId: this.id, action: p.amount === undefined ? 'approved' : 'resized', reason }],
    };
  }
}

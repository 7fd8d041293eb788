import { type OrderProposal, type RiskContext, type RiskDecision, type RiskPolicy, parseConfig } from '@kairos/core';
import { z } from 'zod';
import { pass } from '../decision';
import { sizeEntry } from './size-entry';

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

  constructor(config: z.input<typeof FixedFractionConfig> = {}, key = 'risk.fixedFraction') {
    this.config = parseConfig(FixedFractionConfig, config, key);
  }

  evaluate(p: OrderProposal, ctx: RiskContext): RiskDecision {
    if (p.purpose !== 'entry') return pass(p);
    const why = `${(this.config.fraction * 100).toFixed(1)}% of equity ${ctx.equity.toFixed(2)}`;
    return sizeEntry(this.id, p, ctx, ctx.equity * this.config.fraction, this.config.feeBuffer, why);
  }
}

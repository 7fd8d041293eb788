import { type OrderProposal, type RiskContext, type RiskDecision, type RiskPolicy, parseConfig } from '@kairos/core';
import { z } from 'zod';
import { pass, reject } from '../decision';
import type { MarketMemory } from '../market/market-memory';
import { sizeEntry } from './size-entry';
import { StopDistanceConfig, stopDistance } from './stop-distance';

export const FixedRiskConfig = z.object({
  /** Share of equity lost if the stop is hit, in (0, 1). 0.01 = 1%. */
  riskPerTrade: z.number().gt(0).lt(1).default(0.01),
  /** The stop the size is computed from; use the same as the stop-loss exit. */
  stop: StopDistanceConfig.default({ percent: 5 }),
  /** Largest position as a share of equity, whatever the stop says. */
  maxFraction: z.number().gt(0).max(1).default(0.2),
  feeBuffer: z.number().min(0).max(0.1).default(0.005),
});
export type FixedRiskConfig = z.infer<typeof FixedRiskConfig>;

/**
 * Sizes an entry so that hitting its stop loses a fixed share of equity:
 * amount = equity × riskPerTrade / stopDistance, capped at maxFraction of equity.
 */
export class FixedRiskSizing implements RiskPolicy {
  readonly id = 'fixed-risk';
  readonly config: FixedRiskConfig;

  constructor(
    config: z.input<typeof FixedRiskConfig>,
    private readonly market: MarketMemory,
    key = 'risk.sizing',
  ) {
    this.config = parseConfig(FixedRiskConfig, config, key);
  }

  evaluate(p: OrderProposal, ctx: RiskContext): RiskDecision {
    if (p.purpose !== 'entry') return pass(p);
    const { distance, how } = stopDistance(this.config.stop, p.price, p.symbol, this.market);
    if (!(distance > 0)) return reject(this.id, `cannot size by risk: stop distance unknown (${how})`);
    const atRisk = ctx.equity * this.config.riskPerTrade;
    const byRisk = (atRisk / distance) * p.price;
    const cap = ctx.equity * this.config.maxFraction;
    const notional = Math.min(byRisk, cap);
    const why =
      `risk ${(this.config.riskPerTrade * 100).toFixed(2)}% of equity (${atRisk.toFixed(2)}) over stop ${how}` +
      (byRisk > cap ? `, capped at ${(this.config.maxFraction * 100).toFixed(1)}% of equity` : '');
    return sizeEntry(this.id, p, ctx, notional, this.config.feeBuffer, why);
  }
}

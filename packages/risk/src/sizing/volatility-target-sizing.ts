import { type OrderProposal, type RiskContext, type RiskDecision, type RiskPolicy, parseConfig } from '@kairos/core';
import { z } from 'zod';
import { pass, reject } from '../decision';
import type { MarketMemory } from '../market/market-memory';
import { sizeEntry } from './size-entry';

export const VolatilityTargetConfig = z.object({
  /** Share of equity a one-sigma candle move of the position should be worth. */
  targetVolatility: z.number().gt(0).lt(1).default(0.002),
  /** 'atr': ATR / price; 'stdev': sample stdev of close-to-close returns. */
  measure: z.enum(['atr', 'stdev']).default('atr'),
  /** Returns used by the stdev measure. */
  window: z.number().int().min(2).max(5000).default(50),
  maxFraction: z.number().gt(0).max(1).default(0.2),
  feeBuffer: z.number().min(0).max(0.1).default(0.005),
});
export type VolatilityTargetConfig = z.infer<typeof VolatilityTargetConfig>;

/**
 * Volatility targeting: position value = equity × target / volatility, so a calm market
 * gets a larger position and a wild one a smaller, each moving equity by about the same.
 */
export class VolatilityTargetSizing implements RiskPolicy {
  readonly id = 'volatility-target';
  readonly config: VolatilityTargetConfig;

  constructor(
    config: z.input<typeof VolatilityTargetConfig>,
    private readonly market: MarketMemory,
    key = 'risk.sizing',
  ) {
    this.config = parseConfig(VolatilityTargetConfig, config, key);
  }

  evaluate(p: OrderProposal, ctx: RiskContext): RiskDecision {
    if (p.purpose !== 'entry') return pass(p);
    const c = this.config;
    const vol = c.measure === 'atr' ? this.market.atr(p.symbol) / p.price : this.market.returnStdev(p.symbol, c.window);
    if (!(vol > 0)) return reject(this.id, `cannot size by volatility: ${c.measure} of ${p.symbol} not known yet`);
    const byVol = (ctx.equity * c.targetVolatility) / vol;
    const cap = ctx.equity * c.maxFraction;
    const why =
      `target ${(c.targetVolatility * 100).toFixed(2)}% of equity per 1σ, ${c.measure} volatility ${(vol * 100).toFixed(3)}%` +
      (byVol > cap ? `, capped at ${(c.maxFraction * 100).toFixed(1)}% of equity` : '');
    return sizeEntry(this.id, p, ctx, Math.min(byVol, cap), c.feeBuffer, why);
  }
}

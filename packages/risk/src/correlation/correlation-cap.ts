import { type OrderProposal, type RiskContext, type RiskDecision, type RiskPolicy, parseConfig } from '@kairos/core';
import { z } from 'zod';
import { pass, reject, sized } from '../decision';
import type { MarketMemory } from '../market/market-memory';
import { fitToMarket } from '../sizing/fit-to-market';
import { pearson } from './pearson';

export const CorrelationCapConfig = z.object({
  /** Candle returns the rolling correlation is computed over. */
  window: z.number().int().min(5).max(5000).default(100),
  /** Held positions correlated above this with the candidate form its cluster. */
  maxCorrelation: z.number().min(-1).max(1).default(0.7),
  /** Value of the cluster plus the candidate at most, as a share of equity. */
  clusterCap: z.number().gt(0).max(1).default(0.4),
  /** 'shrink' the entry to the room left, or 'reject' it outright. */
  action: z.enum(['shrink', 'reject']).default('shrink'),
});
export type CorrelationCapConfig = z.infer<typeof CorrelationCapConfig>;

/**
 * Correlation caps: the candidate's candle returns are correlated (Pearson, rolling
 * window, common timestamps) with each held position's. Positions above the limit form
 * a cluster; when the cluster's value plus the entry would pass the cap, the entry is
 * shrunk to fit or rejected. Too little common history counts as uncorrelated.
 */
export class CorrelationCap implements RiskPolicy {
  readonly id = 'correlation-cap';
  readonly config: CorrelationCapConfig;

  constructor(
    config: z.input<typeof CorrelationCapConfig>,
    private readonly market: MarketMemory,
    key = 'risk.correlation',
  ) {
    this.config = parseConfig(CorrelationCapConfig, config, key);
  }

  /** Correlation of each held symbol with `symbol` (NaN where unknown). */
  correlations(symbol: string, held: Iterable<string>): Map<string, number> {
    const mine = this.market.returns(symbol, this.config.window);
    const out = new Map<string, number>();
    for (const h of held) {
      if (h !== symbol) out.set(h, pearson(mine, this.market.returns(h, this.config.window), Math.min(20, this.config.window)));
    }
    return out;
  }

  evaluate(p: OrderProposal, ctx: RiskContext): RiskDecision {
    if (p.purpose !== 'entry' || p.amount === undefined) return pass(p);
    const c = this.config;
    const corr = this.correlations(p.symbol, ctx.positions.keys());
    const cluster = [...corr].filter(([, r]) => r > c.maxCorrelation);
    if (cluster.length === 0) return pass(p);
    let clusterValue = 0;
    for (const [s] of cluster) {
      const pos = ctx.positions.get(s);
      if (pos) clusterValue += pos.amount * pos.lastPrice;
    }
    const room = c.clusterCap * ctx.equity - clusterValue;
    const notional = p.amount * p.price;
    if (notional <= room) return pass(p);
    const names = cluster.map(([s, r]) => `${s} (ρ=${r.toFixed(2)})`).join(', ');
    const why = `correlated with ${names}: cluster ${clusterValue.toFixed(2)} + ${notional.toFixed(2)} would pass the cap ${(c.clusterCap * 100).toFixed(1)}% of equity`;
    if (c.action === 'reject' || room <= 0) return reject(this.id, why);
    const fit = fitToMarket(room / p.price, p.price, ctx.market);
    if (!fit.ok) return reject(this.id, `${why}; ${fit.reason} after shrinking`);
    return sized(this.id, p, fit.amount, `${why}; shrunk to ${fit.amount} ${ctx.market.base}`);
  }
}

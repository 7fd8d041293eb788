import { type OrderProposal, type RiskContext, type RiskDecision, type RiskPolicy, type Trade, parseConfig } from '@kairos/core';
import { z } from 'zod';
import { pass, reject } from '../decision';
import { sizeEntry } from './size-entry';

export const KellyConfig = z.object({
  /** Share of the full Kelly bet to take (0.5 = half Kelly). */
  kellyFraction: z.number().gt(0).max(1).default(0.5),
  /** Largest position as a share of equity, whatever Kelly says. */
  cap: z.number().gt(0).max(1).default(0.2),
  /** Closed trades the estimate looks back on. */
  window: z.number().int().min(2).max(10_000).default(50),
  /** Below this many trades the fallback fraction is used. */
  minTrades: z.number().int().min(1).max(10_000).default(20),
  fallbackFraction: z.number().gt(0).max(1).default(0.05),
  feeBuffer: z.number().min(0).max(0.1).default(0.005),
});
export type KellyConfig = z.infer<typeof KellyConfig>;

/**
 * Kelly sizing for a binary bet: f* = W − (1 − W) / R, with W the win rate and R the
 * average win over the average loss (both as returns) of recent closed trades. The
 * position is kellyFraction × f* of equity, capped; no edge (f* ≤ 0) means no entry.
 */
export class KellySizing implements RiskPolicy {
  readonly id = 'kelly';
  readonly config: KellyConfig;
  private readonly returns: number[] = [];

  constructor(config: z.input<typeof KellyConfig>, key = 'risk.sizing') {
    this.config = parseConfig(KellyConfig, config, key);
  }

  onTradeClosed(trade: Trade): void {
    this.returns.push(trade.pnlPct / 100);
    if (this.returns.length > this.config.window) this.returns.splice(0, this.returns.length - this.config.window);
  }

  /** Full Kelly fraction from the trades seen; undefined below minTrades. */
  kelly(): number | undefined {
    if (this.returns.length < this.config.minTrades) return undefined;
    const wins = this.returns.filter((r) => r > 0);
    const losses = this.returns.filter((r) => r <= 0);
    if (losses.length === 0) return 1;
    if (wins.length === 0) return 0;
    const w = wins.length / this.returns.length;
    const avgWin = wins.reduce((a, b) => a + b, 0) / wins.length;
    const avgLoss = -losses.reduce((a, b) => a + b, 0) / losses.length;
    if (avgLoss === 0) return 1;
    return w - (1 - w) / (avgWin / avgLoss);
  }

  evaluate(p: OrderProposal, ctx: RiskContext): RiskDecision {
    if (p.purpose !== 'entry') return pass(p);
    const c = this.config;
    const k = this.kelly();
    if (k === undefined) {
      const why = `fallback ${(c.fallbackFraction * 100).toFixed(1)}% of equity (${this.returns.length}/${c.minTrades} trades for Kelly)`;
      return sizeEntry(this.id, p, ctx, ctx.equity * c.fallbackFraction, c.feeBuffer, why);
    }
    if (k <= 0) return reject(this.id, `no edge: Kelly fraction ${k.toFixed(3)} over the last ${this.returns.length} trades`);
    const f = Math.min(c.kellyFraction * k, c.cap);
    const why = `${c.kellyFraction}× Kelly ${k.toFixed(3)}${c.kellyFraction * k > c.cap ? ` capped at ${c.cap}` : ''} = ${(f * 100).toFixed(1)}% of equity`;
    return sizeEntry(this.id, p, ctx, ctx.equity * f, c.feeBuffer, why);
  }
}

import { type OrderProposal, type RiskContext, type RiskDecision, type RiskPolicy, type Trade, parseConfig } from '@kairos/core';
import { z } from 'zod';
import { pass } from '../decision';
import { LockBook } from '../state/lock-book';
import { type ProtectionDeps, lockedDecision, recentTrades, stateKey } from './protection-deps';

export const LowProfitPairsConfig = z.object({
  lookbackMinutes: z.number().gt(0).default(1440),
  tradeLimit: z.number().int().min(1).default(2),
  stopDurationMinutes: z.number().gt(0).default(360),
  /** The pair is locked when its summed profit ratio in the lookback is below this. */
  requiredProfit: z.number().default(0),
});
export type LowProfitPairsConfig = z.infer<typeof LowProfitPairsConfig>;

/**
 * freqtrade's LowProfitPairs: a pair with at least `tradeLimit` trades in the lookback
 * whose summed profit ratio is below `requiredProfit` is locked until its last close
 * plus the stop duration.
 */
export class LowProfitPairs implements RiskPolicy {
  readonly id = 'low-profit-pairs';
  readonly config: LowProfitPairsConfig;
  readonly locks: LockBook;
  private trades: Trade[] = [];

  constructor(
    config: z.input<typeof LowProfitPairsConfig>,
    private readonly deps: ProtectionDeps,
    key = 'risk.protections.lowProfitPairs',
  ) {
    this.config = parseConfig(LowProfitPairsConfig, config, key);
    this.locks = new LockBook(deps.store, stateKey(deps, this.id), deps.logger);
  }

  async start(): Promise<void> {
    await this.locks.restore();
    this.trades = await recentTrades(this.deps, this.deps.clock.now() - this.config.lookbackMinutes * 60_000);
  }

  flush(): Promise<void> {
    return this.locks.flush();
  }

  evaluate(p: OrderProposal, ctx: RiskContext): RiskDecision {
    if (p.purpose !== 'entry') return pass(p);
    return lockedDecision(this.locks, p.symbol, ctx.now) ?? pass(p);
  }

  onTradeClosed(trade: Trade): void {
    const c = this.config;
    const since = trade.exitTime - c.lookbackMinutes * 60_000;
    this.trades = this.trades.filter((t) => t.exitTime > since);
    this.trades.push(trade);
    const pair = this.trades.filter((t) => t.symbol === trade.symbol);
    if (pair.length < c.tradeLimit) return;
    const profit = pair.reduce((s, t) => s + t.pnlPct / 100, 0);
    if (profit >= c.requiredProfit) return;
    const last = Math.max(...pair.map((t) => t.exitTime));
    this.locks.lock({
      symbol: trade.symbol,
      since: trade.exitTime,
      until: last + c.stopDurationMinutes * 60_000,
      policyId: this.id,
      reason: `${pair.length} trades in ${c.lookbackMinutes} min returned ${(profit * 100).toFixed(2)}% (required ${(c.requiredProfit * 100).toFixed(2)}%)`,
    });
  }
}

import { type Trade, parseConfig } from '@kairos/core';
import { z } from 'zod';
import type { ProtectionDeps } from './protection-deps';
import { TradeWindowProtection } from './trade-window-protection';

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
export class LowProfitPairs extends TradeWindowProtection {
  readonly id = 'low-profit-pairs';
  readonly config: LowProfitPairsConfig;

  constructor(config: z.input<typeof LowProfitPairsConfig>, deps: ProtectionDeps, key = 'risk.protections.lowProfitPairs') {
    const parsed = parseConfig(LowProfitPairsConfig, config, key);
    super(deps, 'low-profit-pairs', () => parsed.lookbackMinutes);
    this.config = parsed;
  }

  protected judge(trade: Trade, window: readonly Trade[]) {
    const c = this.config;
    const pair = window.filter((t) => t.symbol === trade.symbol);
    if (pair.length < c.tradeLimit) return undefined;
    const profit = pair.reduce((s, t) => s + t.pnlPct / 100, 0);
    if (profit >= c.requiredProfit) return undefined;
    return {
      symbol: trade.symbol,
      until: Math.max(...pair.map((t) => t.exitTime)) + c.stopDurationMinutes * 60_000,
      reason: `${pair.length} trades in ${c.lookbackMinutes} min returned ${(profit * 100).toFixed(2)}% (required ${(c.requiredProfit * 100).toFixed(2)}%)`,
    };
  }
}

import { type Trade, parseConfig } from '@kairos/core';
import { z } from 'zod';
import { ALL_SYMBOLS } from '../state/lock-book';
import { type ProtectionDeps, exitKind } from './protection-deps';
import { TradeWindowProtection } from './trade-window-protection';

export const StoplossGuardConfig = z.object({
  lookbackMinutes: z.number().gt(0).default(1440),
  /** Stop-outs within the lookback that trigger the lock (count ≥ limit locks). */
  tradeLimit: z.number().int().min(1).default(4),
  stopDurationMinutes: z.number().gt(0).default(360),
  /** Lock only the pair that stopped out, instead of all pairs. */
  onlyPerPair: z.boolean().default(false),
  /** A stop-out counts when its profit ratio is below this (freqtrade `required_profit`). */
  requiredProfit: z.number().default(0),
  /** Exit kinds that count as stop-outs. */
  exitKinds: z.array(z.string().min(1)).min(1).default(['stop-loss', 'trailing-stop', 'stoploss-on-exchange']),
});
export type StoplossGuardConfig = z.infer<typeof StoplossGuardConfig>;

/**
 * freqtrade's StoplossGuard: when `tradeLimit` or more trades stopped out at a loss
 * within the lookback, new entries are locked (all pairs, or only that pair) until the
 * last qualifying close plus the stop duration.
 */
export class StoplossGuard extends TradeWindowProtection {
  readonly id = 'stoploss-guard';
  readonly config: StoplossGuardConfig;

  constructor(config: z.input<typeof StoplossGuardConfig>, deps: ProtectionDeps, key = 'risk.protections.stoplossGuard') {
    const parsed = parseConfig(StoplossGuardConfig, config, key);
    super(deps, 'stoploss-guard', () => parsed.lookbackMinutes);
    this.config = parsed;
  }

  protected judge(trade: Trade, window: readonly Trade[]) {
    const c = this.config;
    const kinds = new Set(c.exitKinds.map((k) => k.toLowerCase()));
    const stops = window.filter(
      (t) => kinds.has(exitKind(t.exitReason)) && t.pnlPct / 100 < c.requiredProfit && (!c.onlyPerPair || t.symbol === trade.symbol),
    );
    if (stops.length < c.tradeLimit) return undefined;
    return {
      symbol: c.onlyPerPair ? trade.symbol : ALL_SYMBOLS,
      until: Math.max(...stops.map((t) => t.exitTime)) + c.stopDurationMinutes * 60_000,
      reason: `${stops.length} stop-outs within ${c.lookbackMinutes} min (limit ${c.tradeLimit})`,
    };
  }
}

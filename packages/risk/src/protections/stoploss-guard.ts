import { type OrderProposal, type RiskContext, type RiskDecision, type RiskPolicy, type Trade, parseConfig } from '@kairos/core';
import { z } from 'zod';
import { pass } from '../decision';
import { ALL_SYMBOLS, LockBook } from '../state/lock-book';
import { type ProtectionDeps, exitKind, lockedDecision, recentTrades, stateKey } from './protection-deps';

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
export class StoplossGuard implements RiskPolicy {
  readonly id = 'stoploss-guard';
  readonly config: StoplossGuardConfig;
  readonly locks: LockBook;
  private trades: Trade[] = [];

  constructor(
    config: z.input<typeof StoplossGuardConfig>,
    private readonly deps: ProtectionDeps,
    key = 'risk.protections.stoplossGuard',
  ) {
    this.config = parseConfig(StoplossGuardConfig, config, key);
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
    const kinds = new Set(c.exitKinds.map((k) => k.toLowerCase()));
    const stops = this.trades.filter(
      (t) => kinds.has(exitKind(t.exitReason)) && t.pnlPct / 100 < c.requiredProfit && (!c.onlyPerPair || t.symbol === trade.symbol),
    );
    if (stops.length < c.tradeLimit) return;
    const last = Math.max(...stops.map((t) => t.exitTime));
    this.locks.lock({
      symbol: c.onlyPerPair ? trade.symbol : ALL_SYMBOLS,
      since: trade.exitTime,
      until: last + c.stopDurationMinutes * 60_000,
      policyId: this.id,
      reason: `${stops.length} stop-outs within ${c.lookbackMinutes} min (limit ${c.tradeLimit})`,
    });
  }
}

import { type OrderProposal, type RiskContext, type RiskDecision, type RiskPolicy, type Trade, parseConfig } from '@kairos/core';
import { z } from 'zod';
import { pass } from '../decision';
import { LockBook } from '../state/lock-book';
import { type ProtectionDeps, lockedDecision, stateKey } from './protection-deps';

export const CooldownPeriodConfig = z.object({
  stopDurationMinutes: z.number().gt(0).default(60),
});
export type CooldownPeriodConfig = z.infer<typeof CooldownPeriodConfig>;

/** freqtrade's CooldownPeriod: after any exit, the pair takes no new entry for a while. */
export class CooldownPeriod implements RiskPolicy {
  readonly id = 'cooldown-period';
  readonly config: CooldownPeriodConfig;
  readonly locks: LockBook;

  constructor(config: z.input<typeof CooldownPeriodConfig>, deps: ProtectionDeps, key = 'risk.protections.cooldown') {
    this.config = parseConfig(CooldownPeriodConfig, config, key);
    this.locks = new LockBook(deps.store, stateKey(deps, this.id), deps.logger);
  }

  start(): Promise<void> {
    return this.locks.restore();
  }

  flush(): Promise<void> {
    return this.locks.flush();
  }

  evaluate(p: OrderProposal, ctx: RiskContext): RiskDecision {
    if (p.purpose !== 'entry') return pass(p);
    return lockedDecision(this.locks, p.symbol, ctx.now) ?? pass(p);
  }

  onTradeClosed(trade: Trade): void {
    this.locks.lock({
      symbol: trade.symbol,
      since: trade.exitTime,
      until: trade.exitTime + this.config.stopDurationMinutes * 60_000,
      policyId: this.id,
      reason: `cooldown of ${this.config.stopDurationMinutes} min after an exit`,
    });
  }
}

import { type ExitProposal, type OrderProposal, type Position, type RiskContext, type RiskDecision, type RiskPolicy, parseConfig } from '@kairos/core';
import { z } from 'zod';
import { iso, pass, reject } from '../decision';
import { sellableAmount } from '../sizing/fit-to-market';
import { StateCell } from '../state/state-cell';
import { type ProtectionDeps, stateKey } from './protection-deps';

export const KillSwitchConfig = z.object({
  /** While engaged, also propose exits for every open position. */
  flatten: z.boolean().default(false),
});
export type KillSwitchConfig = z.infer<typeof KillSwitchConfig>;

interface Saved {
  engaged: boolean;
  since: number;
  reason: string;
}

/**
 * The manual kill switch: an operator engages it (API, CLI, Telegram) and no entry is
 * approved until it is released. Its state lives in the store, so it survives restarts
 * and can be flipped by another process sharing the store (read on `start`/`refresh`).
 */
export class KillSwitch implements RiskPolicy {
  readonly id = 'kill-switch';
  readonly config: KillSwitchConfig;
  private readonly cell: StateCell<Saved>;
  private current: Saved = { engaged: false, since: 0, reason: '' };

  constructor(
    config: z.input<typeof KillSwitchConfig>,
    private readonly deps: ProtectionDeps,
    key = 'risk.protections.killSwitch',
  ) {
    this.config = parseConfig(KillSwitchConfig, config, key);
    this.cell = new StateCell(deps.store, stateKey(deps, this.id, 'state'), deps.logger);
  }

  get engaged(): boolean {
    return this.current.engaged;
  }

  async start(): Promise<void> {
    await this.refresh();
  }

  /** Re-reads the stored state (another process may have flipped it). */
  async refresh(): Promise<void> {
    const s = await this.cell.load();
    if (s && typeof s.engaged === 'boolean') this.current = s;
  }

  flush(): Promise<void> {
    return this.cell.flush();
  }

  engage(reason: string, now = this.deps.clock.now()): void {
    this.current = { engaged: true, since: now, reason };
    this.cell.save(this.current);
  }

  release(): void {
    this.current = { engaged: false, since: this.deps.clock.now(), reason: '' };
    this.cell.save(this.current);
  }

  evaluate(p: OrderProposal): RiskDecision {
    if (p.purpose !== 'entry' || !this.current.engaged) return pass(p);
    return reject(this.id, `kill switch engaged since ${iso(this.current.since)}: ${this.current.reason}`);
  }

  exits(position: Position, ctx: RiskContext): readonly ExitProposal[] {
    if (!this.config.flatten || !this.current.engaged) return [];
    const amount = sellableAmount(position.amount, position.lastPrice, ctx.market);
    return amount !== undefined ? [{ policyId: this.id, symbol: position.symbol, kind: 'kill-switch', amount, reason: `kill-switch: ${this.current.reason}` }] : [];
  }
}

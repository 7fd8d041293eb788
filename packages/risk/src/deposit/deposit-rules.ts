import type { OrderProposal, RiskContext, RiskDecision, RiskPolicy } from '@kairos/core';
import { iso, openExposure, pass, reject, sized } from '../decision';
import { stateKey } from '../protections/protection-deps';
import { fitToMarket } from '../sizing/fit-to-market';
import { StateCell } from '../state/state-cell';
import type { DepositDeps, DepositManager } from './deposit-manager';

interface Suspension {
  suspended: boolean;
  since: number;
  reason: string;
}

/**
 * Deposit rules as a policy: no entries below the minimum deposit, open exposure kept
 * within the deposit, and a per-user drawdown of the deposit that suspends the user
 * until an operator resumes them (persisted, so a restart keeps the suspension).
 */
export class DepositRules implements RiskPolicy {
  readonly id = 'deposit';
  private deposit: number | undefined;
  private source = '';
  private readonly cell: StateCell<Suspension>;
  private current: Suspension = { suspended: false, since: 0, reason: '' };

  constructor(
    private readonly manager: DepositManager,
    deps: DepositDeps,
  ) {
    this.cell = new StateCell(deps.store, stateKey(deps, this.id, 'suspension'), deps.logger);
    if (manager.config.initialDeposit !== undefined) {
      this.deposit = manager.config.initialDeposit * manager.config.marginMultiplier;
      this.source = 'config';
    }
  }

  get suspended(): boolean {
    return this.current.suspended;
  }

  get depositValue(): number | undefined {
    return this.deposit;
  }

  async start(): Promise<void> {
    const d = await this.manager.deposit();
    this.deposit = d.value;
    this.source = d.source;
    const s = await this.cell.load();
    if (s && typeof s.suspended === 'boolean') this.current = s;
  }

  flush(): Promise<void> {
    return this.cell.flush();
  }

  /** Lifts a suspension (an operator's decision). */
  resume(now: number): void {
    this.current = { suspended: false, since: now, reason: '' };
    this.cell.save(this.current);
  }

  evaluate(p: OrderProposal, ctx: RiskContext): RiskDecision {
    if (p.purpose !== 'entry') return pass(p);
    const cfg = this.manager.config;
    if (this.current.suspended) return reject(this.id, `trading suspended since ${iso(this.current.since)}: ${this.current.reason}`);
    if (this.deposit === undefined) return reject(this.id, 'deposit not known yet (start() has not run)');
    if (this.deposit < cfg.minDeposit) return reject(this.id, `deposit ${this.deposit.toFixed(2)} is below the minimum ${cfg.minDeposit} to trade`);
    if (p.amount === undefined) return pass(p);
    const room = this.deposit - openExposure(ctx);
    const notional = p.amount * p.price;
    if (notional <= room) return pass(p);
    const why = `open ${openExposure(ctx).toFixed(2)} + ${notional.toFixed(2)} would pass the deposit ${this.deposit.toFixed(2)} (${this.source})`;
    if (room <= 0) return reject(this.id, why);
    const fit = fitToMarket(room / p.price, p.price, ctx.market);
    if (!fit.ok) return reject(this.id, `${why}; ${fit.reason} after shrinking`);
    return sized(this.id, p, fit.amount, `${why}; shrunk to ${fit.amount} ${ctx.market.base}`);
  }

  onEquity(point: { time: number; equity: number }): void {
    if (this.deposit === undefined || this.current.suspended) return;
    const floor = this.deposit * (1 - this.manager.config.maxDrawdownPercent / 100);
    if (point.equity >= floor) return;
    const dd = (1 - point.equity / this.deposit) * 100;
    this.current = {
      suspended: true,
      since: point.time,
      reason: `equity ${point.equity.toFixed(2)} is ${dd.toFixed(2)}% below the deposit ${this.deposit.toFixed(2)} (limit ${this.manager.config.maxDrawdownPercent}%)`,
    };
    this.cell.save(this.current);
  }
}

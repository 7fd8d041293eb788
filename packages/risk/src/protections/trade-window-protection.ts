import type { OrderProposal, RiskContext, RiskDecision, RiskPolicy, Trade } from '@kairos/core';
import { pass } from '../decision';
import { LockBook, type RiskLock } from '../state/lock-book';
import { type ProtectionDeps, lockedDecision, recentTrades, stateKey } from './protection-deps';

/**
 * The shared mechanics of freqtrade-style protections that judge the trades closed within
 * a lookback window: restore persisted locks and the window at start, refuse entries while
 * a lock holds, keep the window current, and lock when `judge` says so. Exits always pass.
 */
export abstract class TradeWindowProtection implements RiskPolicy {
  abstract readonly id: string;
  readonly locks: LockBook;
  private trades: Trade[] = [];

  protected constructor(
    protected readonly deps: ProtectionDeps,
    id: string,
    private readonly lookbackMinutes: () => number,
  ) {
    this.locks = new LockBook(deps.store, stateKey(deps, id), deps.logger);
  }

  /** The lock the window now calls for, if any. `trade` is the one that just closed. */
  protected abstract judge(trade: Trade, window: readonly Trade[]): Omit<RiskLock, 'policyId' | 'since'> | undefined;

  async start(): Promise<void> {
    await this.locks.restore();
    this.trades = await recentTrades(this.deps, this.deps.clock.now() - this.lookbackMinutes() * 60_000);
  }

  flush(): Promise<void> {
    return this.locks.flush();
  }

  evaluate(p: OrderProposal, ctx: RiskContext): RiskDecision {
    if (p.purpose !== 'entry') return pass(p);
    return lockedDecision(this.locks, p.symbol, ctx.now) ?? pass(p);
  }

  onTradeClosed(trade: Trade): void {
    const since = trade.exitTime - this.lookbackMinutes() * 60_000;
    this.trades = this.trades.filter((t) => t.exitTime > since);
    this.trades.push(trade);
    const lock = this.judge(trade, this.trades);
    if (lock) this.locks.lock({ ...lock, since: trade.exitTime, policyId: this.id });
  }
}

import { type CommissionSchedule, type LedgerRepository, type Logger, NullLogger, type SettleUserResult, type TradeStore, settleUser } from '@kairos/core';
import type { UserRegistry } from './user-registry';

export interface SettleAllUsersDeps {
  readonly users: Pick<UserRegistry, 'list'>;
  readonly trades: Pick<TradeStore, 'listTrades'>;
  readonly ledgers: LedgerRepository;
  readonly logger?: Logger;
}

/**
 * Settles every user (suspended ones too: their past gains are still billable) at
 * `time`, each at the tier of their current deposit. One user's failure is logged and
 * does not stop the others.
 */
export async function settleAllUsers(deps: SettleAllUsersDeps, time: number, schedule?: CommissionSchedule): Promise<SettleUserResult[]> {
  const logger = deps.logger ?? new NullLogger();
  const results: SettleUserResult[] = [];
  for (const user of await deps.users.list()) {
    try {
      const r = await settleUser(deps, { userId: user.id, deposit: user.deposit, time, ...(schedule ? { schedule } : {}) });
      results.push(r);
      if (r.charge) logger.info({ userId: user.id, amount: r.charge.amount, rate: r.charge.rate, highWaterMark: r.highWaterMark }, 'commission charged');
    } catch (err) {
      logger.error({ userId: user.id, error: err instanceof Error ? err.message : String(err) }, 'settlement failed');
    }
  }
  return results;
}

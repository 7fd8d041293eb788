import type { TradeStore } from '../ports/trade-store';
import type { CommissionLedgerEntry } from './billing-ledger';
import type { CommissionSchedule } from './commission-schedule';
import type { LedgerRepository } from './ledger-repository';
import { type UserTradeAnalysis, analyzeUserTrades } from './trade-analysis';

export interface SettleUserDeps {
  readonly trades: Pick<TradeStore, 'listTrades'>;
  readonly ledgers: LedgerRepository;
}

export interface SettleUserRequest {
  readonly userId: string;
  /** The user's deposit now; it picks the commission tier. */
  readonly deposit: number;
  /** Settlement time: trades that exited up to it (inclusive) are booked. */
  readonly time: number;
  readonly schedule?: CommissionSchedule;
}

export interface SettleUserResult {
  readonly userId: string;
  /** Trades booked by this settlement (already booked ones are skipped). */
  readonly booked: number;
  readonly charge: CommissionLedgerEntry | undefined;
  readonly highWaterMark: number;
  readonly commissionCharged: number;
  readonly outstanding: number;
  readonly analysis: UserTradeAnalysis;
}

/**
 * Books a user's closed trades from the store into their ledger, charges commission on
 * profit above the high-water mark and saves the ledger. Running it twice at the same
 * time charges nothing more.
 */
export async function settleUser(deps: SettleUserDeps, req: SettleUserRequest): Promise<SettleUserResult> {
  const trades = await deps.trades.listTrades({ userId: req.userId, to: req.time });
  const ledger = await deps.ledgers.load(req.userId);
  const booked = ledger.bookTrades(trades);
  const charge = ledger.settle({ deposit: req.deposit, time: req.time, ...(req.schedule ? { schedule: req.schedule } : {}) });
  if (booked > 0 || charge) await deps.ledgers.save(ledger);
  return {
    userId: req.userId,
    booked,
    charge,
    highWaterMark: ledger.highWaterMark,
    commissionCharged: ledger.commissionCharged,
    outstanding: ledger.outstanding,
    analysis: analyzeUserTrades(req.userId, trades),
  };
}

import type { Trade } from '../domain/position';
import { KairosError } from '../errors/kairos-error';
import { type CommissionSchedule, DEFAULT_COMMISSION_SCHEDULE, commissionTier } from './commission-schedule';

/** A closed trade booked into the ledger. */
export interface TradeLedgerEntry {
  readonly seq: number;
  readonly kind: 'trade';
  /** Exit time of the trade (ms). */
  readonly time: number;
  readonly tradeId: string;
  readonly symbol: string;
  readonly strategyId: string;
  readonly pnl: number;
  /** Realized PnL of all booked trades after this one. */
  readonly cumulativePnl: number;
}

/** Commission charged at a settlement. */
export interface CommissionLedgerEntry {
  readonly seq: number;
  readonly kind: 'commission';
  readonly time: number;
  readonly amount: number;
  readonly rate: number;
  /** Deposit the tier was chosen from. */
  readonly deposit: number;
  /** Profit the rate was applied to: cumulative PnL above the previous high-water mark. */
  readonly chargeableProfit: number;
  readonly highWaterMarkBefore: number;
  readonly highWaterMarkAfter: number;
}

/** Money the user paid towards what they owe. */
export interface PaymentLedgerEntry {
  readonly seq: number;
  readonly kind: 'payment';
  readonly time: number;
  readonly amount: number;
  readonly note?: string;
}

export type LedgerEntry = TradeLedgerEntry | CommissionLedgerEntry | PaymentLedgerEntry;

/** The plain-data form of a ledger, as stored. */
export interface BillingLedgerData {
  readonly version: 1;
  readonly userId: string;
  readonly cumulativePnl: number;
  readonly highWaterMark: number;
  readonly commissionCharged: number;
  readonly paid: number;
  readonly entries: readonly LedgerEntry[];
}

export interface SettleOptions {
  /** The user's deposit at settlement; it picks the tier. */
  readonly deposit: number;
  readonly time: number;
  readonly schedule?: CommissionSchedule;
}

/**
 * One user's billing ledger: every booked trade, every commission charge and every
 * payment, in order.
 *
 * Commission is charged only on realized profit above the high-water mark: the highest
 * cumulative realized PnL (before commission) already charged. After a loss nothing is
 * charged until the cumulative PnL climbs back above that mark, and then only on the
 * part above it, so the same gain is never charged twice. The mark is kept on PnL
 * before commission on purpose: if it were kept on equity after commission, the
 * commission itself would look like a loss and the user would pay again to win it back.
 */
export class BillingLedger {
  private readonly items: LedgerEntry[];
  private readonly tradeIds: Set<string>;
  private cumulative: number;
  private hwm: number;
  private charged: number;
  private paidTotal: number;

  constructor(readonly userId: string, data?: BillingLedgerData) {
    if (data && data.userId !== userId) throw new KairosError('DATA_INVALID', `ledger belongs to user '${data.userId}', not '${userId}'`);
    this.items = data ? [...data.entries] : [];
    this.tradeIds = new Set(this.items.flatMap((e) => (e.kind === 'trade' ? [e.tradeId] : [])));
    this.cumulative = data?.cumulativePnl ?? 0;
    this.hwm = data?.highWaterMark ?? 0;
    this.charged = data?.commissionCharged ?? 0;
    this.paidTotal = data?.paid ?? 0;
  }

  /** Rebuilds a ledger from its stored form. */
  static fromJSON(data: BillingLedgerData): BillingLedger {
    if (data?.version !== 1 || typeof data.userId !== 'string' || !Array.isArray(data.entries)) {
      throw new KairosError('DATA_INVALID', 'not a billing ledger (version 1)');
    }
    return new BillingLedger(data.userId, data);
  }

  get entries(): readonly LedgerEntry[] {
    return this.items;
  }
  /** Realized PnL of all booked trades, before commission. */
  get cumulativePnl(): number {
    return this.cumulative;
  }
  get highWaterMark(): number {
    return this.hwm;
  }
  get commissionCharged(): number {
    return this.charged;
  }
  get paid(): number {
    return this.paidTotal;
  }
  /** Commission charged and not yet paid. */
  get outstanding(): number {
    return this.charged - this.paidTotal;
  }

  hasTrade(tradeId: string): boolean {
    return this.tradeIds.has(tradeId);
  }

  /**
   * Books closed trades in exit order. Trades already booked (same id) are skipped, so
   * booking the same list twice changes nothing. Returns how many were new.
   */
  bookTrades(trades: readonly Trade[]): number {
    const fresh = trades
      .filter((t) => !this.tradeIds.has(t.id))
      .sort((a, b) => a.exitTime - b.exitTime || a.id.localeCompare(b.id));
    const seen = new Set<string>();
    let added = 0;
    for (const t of fresh) {
      if (seen.has(t.id)) continue;
      seen.add(t.id);
      if (t.userId !== this.userId) throw new KairosError('DATA_INVALID', `trade ${t.id} belongs to user '${t.userId}', not '${this.userId}'`);
      if (!Number.isFinite(t.pnl)) throw new KairosError('DATA_INVALID', `trade ${t.id} has a non-finite pnl`);
      this.cumulative += t.pnl;
      this.tradeIds.add(t.id);
      this.items.push({
        seq: this.items.length + 1,
        kind: 'trade',
        time: t.exitTime,
        tradeId: t.id,
        symbol: t.symbol,
        strategyId: t.strategyId,
        pnl: t.pnl,
        cumulativePnl: this.cumulative,
      });
      added += 1;
    }
    return added;
  }

  /**
   * Charges commission on the cumulative realized PnL above the high-water mark, at the
   * rate of the deposit's tier, and raises the mark. Returns the charge, or undefined
   * when there is nothing above the mark (nothing is written then).
   */
  settle(options: SettleOptions): CommissionLedgerEntry | undefined {
    const tier = commissionTier(options.deposit, options.schedule ?? DEFAULT_COMMISSION_SCHEDULE);
    const chargeable = this.cumulative - this.hwm;
    if (!(chargeable > 0)) return undefined;
    const entry: CommissionLedgerEntry = {
      seq: this.items.length + 1,
      kind: 'commission',
      time: options.time,
      amount: chargeable * tier.rate,
      rate: tier.rate,
      deposit: options.deposit,
      chargeableProfit: chargeable,
      highWaterMarkBefore: this.hwm,
      highWaterMarkAfter: this.cumulative,
    };
    this.hwm = this.cumulative;
    this.charged += entry.amount;
    this.items.push(entry);
    return entry;
  }

  /** Records a payment by the user towards the outstanding commission. */
  recordPayment(amount: number, time: number, note?: string): PaymentLedgerEntry {
    if (!Number.isFinite(amount) || amount <= 0) throw new KairosError('DATA_INVALID', `a payment must be a positive amount, got ${amount}`);
    const entry: PaymentLedgerEntry = { seq: this.items.length + 1, kind: 'payment', time, amount, ...(note !== undefined ? { note } : {}) };
    this.paidTotal += amount;
    this.items.push(entry);
    return entry;
  }

  toJSON(): BillingLedgerData {
    return {
      version: 1,
      userId: this.userId,
      cumulativePnl: this.cumulative,
      highWaterMark: this.hwm,
      commissionCharged: this.charged,
      paid: this.paidTotal,
      entries: [...this.items],
    };
  }
}

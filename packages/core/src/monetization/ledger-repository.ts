import { KairosError } from '../errors/kairos-error';
import type { TradeStore } from '../ports/trade-store';
import { BillingLedger, type BillingLedgerData } from './billing-ledger';

/** The slice of `TradeStore` a ledger repository needs. */
export type LedgerKeyValue = Pick<TradeStore, 'getValue' | 'setValue'>;

/**
 * Keeps each user's `BillingLedger` as one JSON value in a store's key/value space,
 * under `<prefix><userId>`. One writer per user at a time (the billing scheduler):
 * the key/value port has no compare-and-set.
 */
export class LedgerRepository {
  constructor(
    private readonly kv: LedgerKeyValue,
    private readonly prefix = 'billing:ledger:',
  ) {}

  /** The user's ledger, or an empty one when none was stored. */
  async load(userId: string): Promise<BillingLedger> {
    const raw = await this.kv.getValue(this.prefix + userId);
    if (raw === undefined) return new BillingLedger(userId);
    let data: BillingLedgerData;
    try {
      data = JSON.parse(raw) as BillingLedgerData;
    } catch (err) {
      throw new KairosError('DATA_INVALID', `stored ledger of user '${userId}' is not JSON`, { cause: err });
    }
    const ledger = BillingLedger.fromJSON(data);
    if (ledger.userId !== userId) throw new KairosError('DATA_INVALID', `stored ledger under '${userId}' belongs to '${ledger.userId}'`);
    return ledger;
  }

  async save(ledger: BillingLedger): Promise<void> {
    await this.kv.setValue(this.prefix + ledger.userId, JSON.stringify(ledger.toJSON()));
  }
}

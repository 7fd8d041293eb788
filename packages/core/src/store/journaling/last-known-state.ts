import type { Fill } from '../../domain/order';
import type { OrderQuery, StoredOrder } from '../../ports/trade-store';
import { MemoryTradeStore } from '../memory-trade-store';
import type { JournalEntry } from './journal-entry';

/** An answer given without the store; `undefined` in its place means "cannot tell". */
export interface KnownAnswer<T> {
  readonly value: T;
}

/**
 * What this process knows of the store: every order and fill it read or wrote, the
 * values it wrote, and for which users it has seen the full order and fill lists. While
 * the store is away, `JournalingTradeStore` answers reads from here when the answer is
 * certain, e.g. "no order with this client order id" once the user's orders were listed
 * in full (the reconciler does at start) and every write since went through this
 * process. That rests on one writer per user, the rule the runner keeps (one process
 * per session). What is not certain is answered `undefined`, and the caller waits for
 * the store.
 */
export class LastKnownState {
  private readonly mem: MemoryTradeStore;
  private readonly ordersListed = new Set<string>();
  private readonly fillsListed = new Set<string>();
  /** Keys whose current value (or absence) this process set. */
  private readonly valuesSet = new Set<string>();
  /** Fill ids by user, for the duplicate check without a scan. */
  private readonly fillIds = new Map<string, Set<string>>();

  constructor(private readonly now: () => number) {
    this.mem = new MemoryTradeStore({ now });
  }

  /** Records a write the store took or the journal holds. */
  apply(entry: JournalEntry): void {
    switch (entry.op) {
      case 'saveOrder':
        this.mem.saveOrderNow(entry.order);
        return;
      case 'saveFill':
        this.addFill(entry.userId, entry.fill);
        return;
      case 'saveTrade':
        // Trades are not answered offline (nothing on the order path lists them).
        return;
      case 'setValue':
        this.valuesSet.add(entry.key);
        void this.mem.setValue(entry.key, entry.value, entry.expiresAt === undefined ? undefined : Math.max(1, entry.expiresAt - this.now()));
        return;
      case 'deleteValue':
        this.valuesSet.add(entry.key);
        void this.mem.deleteValue(entry.key);
        return;
    }
  }

  /** Records an order read from the store. */
  noteOrder(order: StoredOrder | undefined): void {
    if (order) this.mem.saveOrderNow(order);
  }

  /** Records a listing; one by user alone is the user's full list. */
  noteOrderList(query: OrderQuery | undefined, orders: readonly StoredOrder[]): void {
    for (const o of orders) this.mem.saveOrderNow(o);
    if (query?.userId !== undefined && query.symbol === undefined && query.status === undefined) this.ordersListed.add(query.userId);
  }

  /** Records a fill the store has (new or a duplicate). */
  noteFill(userId: string, fill: Fill): void {
    this.addFill(userId, fill);
  }

  noteFillList(userId: string, clientOrderId: string | undefined, fills: readonly Fill[]): void {
    for (const f of fills) this.addFill(userId, f);
    if (clientOrderId === undefined) this.fillsListed.add(userId);
  }

  /** The order as last known; certain absence once some user's orders were listed in full. */
  order(clientOrderId: string): KnownAnswer<StoredOrder | undefined> | undefined {
    const o = this.mem.getOrderNow(clientOrderId);
    if (o) return { value: o };
    return this.ordersListed.size > 0 ? { value: undefined } : undefined;
  }

  async orders(query: OrderQuery = {}): Promise<KnownAnswer<StoredOrder[]> | undefined> {
    if (query.userId === undefined || !this.ordersListed.has(query.userId)) return undefined;
    return { value: await this.mem.listOrders(query) };
  }

  /** Whether the fill is new to the store, when that is certain. */
  fillIsNew(userId: string, fill: Fill): boolean | undefined {
    if (this.hasFill(userId, fill.id)) return false;
    return this.fillsListed.has(userId) ? true : undefined;
  }

  async fills(userId: string, clientOrderId?: string): Promise<KnownAnswer<Fill[]> | undefined> {
    if (!this.fillsListed.has(userId)) return undefined;
    return { value: await this.mem.listFills(userId, clientOrderId) };
  }

  async value(key: string): Promise<KnownAnswer<string | undefined> | undefined> {
    if (!this.valuesSet.has(key)) return undefined;
    return { value: await this.mem.getValue(key) };
  }

  private hasFill(userId: string, fillId: string): boolean {
    return this.fillIds.get(userId)?.has(fillId) ?? false;
  }

  private addFill(userId: string, fill: Fill): void {
    let ids = this.fillIds.get(userId);
    if (!ids) this.fillIds.set(userId, (ids = new Set()));
    ids.add(fill.id);
    this.mem.saveFillNow(userId, fill);
  }
}

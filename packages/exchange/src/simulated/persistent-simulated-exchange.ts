import type { Candle, Logger, Order, OrderIntent, TradeStore } from '@kairos/core';
import { SimulatedExchange, type SimulatedExchangeOptions } from './simulated-exchange';
import { type SimulatedVenueState, parseSimulatedVenueState } from './simulated-venue-state';

/** Where a {@link PersistentSimulatedExchange} keeps its state. */
export interface VenuePersistence {
  readonly store: Pick<TradeStore, 'getValue' | 'setValue'>;
  /** The store key, one per session (e.g. `sim-venue:<session>`). */
  readonly key: string;
  readonly logger?: Logger;
}

/**
 * A simulated venue whose state (balances, orders, matched time) is saved in the trade
 * store, so that a paper session restarted after a crash or a stop goes on with the
 * venue it had: never fresh funds, never a position the venue does not hold.
 *
 * The state is saved after every order placed or cancelled, before the call returns
 * (so the acknowledgement the engine stores is never ahead of the saved venue), and
 * after every candle that filled something. A crash can lose at most the candle being
 * matched; a resumed replay starts after the last saved candle and re-matches it, which
 * yields the same fills under the same ids, so the trade store takes them once.
 */
export class PersistentSimulatedExchange extends SimulatedExchange {
  private savedVersion = -1;
  private saving: Promise<void> = Promise.resolve();
  private saveError: unknown;

  private constructor(
    options: SimulatedExchangeOptions,
    private readonly persistence: VenuePersistence,
  ) {
    super(options);
  }

  /**
   * Opens the venue saved under `persistence.key`, or a new one from `options` when
   * nothing is saved. `resumed` is the saved state, when there was one.
   */
  static async open(options: SimulatedExchangeOptions, persistence: VenuePersistence): Promise<{ exchange: PersistentSimulatedExchange; resumed?: SimulatedVenueState }> {
    const exchange = new PersistentSimulatedExchange(options, persistence);
    const saved = await persistence.store.getValue(persistence.key);
    if (saved === undefined) return { exchange };
    const state = parseSimulatedVenueState(saved, persistence.key);
    exchange.restore(state);
    exchange.savedVersion = exchange.version;
    return { exchange, resumed: state };
  }

  override async createOrder(intent: OrderIntent): Promise<Order> {
    const order = this.createOrderNow(intent);
    await this.save();
    return order;
  }

  override async cancelOrder(symbol: string, orderId: string): Promise<Order> {
    const order = this.cancelOrderNow(symbol, orderId);
    await this.save();
    return order;
  }

  override processCandle(symbol: string, candle: Candle, timeframeMs: number): void {
    super.processCandle(symbol, candle, timeframeMs);
    if (this.version !== this.savedVersion) void this.save().catch(() => undefined);
  }

  /** Waits for every save begun so far; throws the first one that failed. */
  async flush(): Promise<void> {
    await this.save(true);
  }

  /** Saves the current state after the saves already under way (one at a time, in order). */
  private save(force = false): Promise<void> {
    const next = this.saving.then(async () => {
      if (!force && this.version === this.savedVersion) return;
      const version = this.version;
      try {
        await this.persistence.store.setValue(this.persistence.key, JSON.stringify(this.snapshot()));
        this.savedVersion = version;
      } catch (err) {
        this.saveError ??= err;
        this.persistence.logger?.error({ key: this.persistence.key, error: err instanceof Error ? err.message : String(err) }, 'simulated venue state not saved');
        throw err;
      }
    });
    // A failed save must not wedge the ones after it.
    this.saving = next.catch(() => undefined);
    return next;
  }
}

import type { Logger, TradeStore } from '@kairos/core';

/** The part of a `TradeStore` that risk state needs. */
export type RiskStateStore = Pick<TradeStore, 'getValue' | 'setValue' | 'deleteValue'>;

/**
 * One JSON value in the store's key/value space, written behind: `evaluate` is
 * synchronous, so changes are queued and written in order; `flush` waits for them.
 * Writes never throw into the trading loop; a failed write is logged and kept as
 * `lastError`, and the next change writes the full value again.
 */
export class StateCell<T> {
  private pending: Promise<void> = Promise.resolve();
  lastError: unknown;

  constructor(
    private readonly store: RiskStateStore,
    readonly key: string,
    private readonly logger?: Logger,
  ) {}

  /** Reads the stored value; undefined when absent or unreadable. */
  async load(): Promise<T | undefined> {
    const raw = await this.store.getValue(this.key);
    if (raw === undefined) return undefined;
    try {
      return JSON.parse(raw) as T;
    } catch (error) {
      this.logger?.warn({ key: this.key, error: String(error) }, 'risk state unreadable; starting fresh');
      return undefined;
    }
  }

  /** Queues a write (or a delete for undefined). */
  save(value: T | undefined): void {
    const text = value === undefined ? undefined : JSON.stringify(value);
    this.pending = this.pending.then(async () => {
      try {
        if (text === undefined) await this.store.deleteValue(this.key);
        else await this.store.setValue(this.key, text);
      } catch (error) {
        this.lastError = error;
        this.logger?.error({ key: this.key, error: String(error) }, 'risk state write failed');
      }
    });
  }

  flush(): Promise<void> {
    return this.pending;
  }
}

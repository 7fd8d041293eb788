import type { Fill } from '../domain/order';
import type { Trade } from '../domain/position';
import { isRetryable } from '../errors/kairos-error';
import type { Logger } from '../ports/logger';
import type { OrderQuery, StoredOrder, TradeQuery, TradeStore } from '../ports/trade-store';

/** What `RetryingTradeStore` does while the store is down. */
export interface RetryingTradeStoreOptions {
  /** First wait after a failure; doubled each time up to `maxDelayMs`. Default 50 ms. */
  readonly baseDelayMs?: number;
  /** Default 2000 ms. */
  readonly maxDelayMs?: number;
  /**
   * Give up after this long and throw the last error. Default: never, for writes (an
   * acknowledged write must not be dropped; the caller waits until the store is back)
   * and for reads (a read that gave up killed the bot in the middle of an outage; the
   * caller waits instead, with entries blocked by the gate).
   */
  readonly writeTimeoutMs?: number;
  readonly readTimeoutMs?: number;
  /** Told when the store goes down (false) and when it is back (true). */
  readonly onHealthChange?: (healthy: boolean, error?: unknown) => void;
  readonly logger?: Logger;
  /** Injectable for tests. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Wraps a store so that retryable failures (a lost Redis connection) are retried with
 * exponential backoff instead of surfacing, and reports the store's health. Wire
 * `onHealthChange` to a `TradingGate` (block 'store' on false, unblock on true) so no
 * new entry is placed while writes cannot be made durable. Non-retryable errors pass
 * through at once. Safe only over idempotent stores, which every `TradeStore` is.
 */
export class RetryingTradeStore implements TradeStore {
  private healthy = true;

  constructor(
    private readonly inner: TradeStore,
    private readonly opts: RetryingTradeStoreOptions = {},
  ) {}

  /** False from the first failed attempt until the next success. */
  get isHealthy(): boolean {
    return this.healthy;
  }

  saveOrder(order: StoredOrder): Promise<void> {
    return this.write('saveOrder', () => this.inner.saveOrder(order));
  }
  getOrder(clientOrderId: string): Promise<StoredOrder | undefined> {
    return this.read('getOrder', () => this.inner.getOrder(clientOrderId));
  }
  listOrders(query?: OrderQuery): Promise<StoredOrder[]> {
    return this.read('listOrders', () => this.inner.listOrders(query));
  }
  saveFill(userId: string, fill: Fill): Promise<boolean> {
    return this.write('saveFill', () => this.inner.saveFill(userId, fill));
  }
  listFills(userId: string, clientOrderId?: string): Promise<Fill[]> {
    return this.read('listFills', () => this.inner.listFills(userId, clientOrderId));
  }
  saveTrade(trade: Trade): Promise<void> {
    return this.write('saveTrade', () => this.inner.saveTrade(trade));
  }
  listTrades(query?: TradeQuery): Promise<Trade[]> {
    return this.read('listTrades', () => this.inner.listTrades(query));
  }
  getValue(key: string): Promise<string | undefined> {
    return this.read('getValue', () => this.inner.getValue(key));
  }
  setValue(key: string, value: string, ttlMs?: number): Promise<void> {
    return this.write('setValue', () => this.inner.setValue(key, value, ttlMs));
  }
  deleteValue(key: string): Promise<void> {
    return this.write('deleteValue', () => this.inner.deleteValue(key));
  }
  async close(): Promise<void> {
    await this.inner.close?.();
  }

  private write<T>(op: string, fn: () => Promise<T>): Promise<T> {
    return this.retry(op, fn, this.opts.writeTimeoutMs ?? Number.POSITIVE_INFINITY);
  }

  private read<T>(op: string, fn: () => Promise<T>): Promise<T> {
    return this.retry(op, fn, this.opts.readTimeoutMs ?? Number.POSITIVE_INFINITY);
  }

  private async retry<T>(op: string, fn: () => Promise<T>, timeoutMs: number): Promise<T> {
    const start = Date.now();
    const base = this.opts.baseDelayMs ?? 50;
    const max = this.opts.maxDelayMs ?? 2_000;
    const sleep = this.opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    for (let attempt = 0; ; attempt++) {
      try {
        const out = await fn();
        this.setHealth(true);
        return out;
      } catch (err) {
        if (!isRetryable(err)) throw err;
        this.setHealth(false, err);
        const delay = Math.min(max, base * 2 ** Math.min(attempt, 20));
        if (Date.now() - start + delay > timeoutMs) throw err;
        this.opts.logger?.warn({ op, attempt: attempt + 1, delayMs: delay, error: err instanceof Error ? err.message : String(err) }, 'store call failed; retrying');
        await sleep(delay);
      }
    }
  }

  private setHealth(healthy: boolean, error?: unknown): void {
    if (healthy === this.healthy) return;
    this.healthy = healthy;
    this.opts.onHealthChange?.(healthy, error);
  }
}

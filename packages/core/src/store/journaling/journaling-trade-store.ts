import { join } from 'node:path';
import type { Fill } from '../../domain/order';
import type { Trade } from '../../domain/position';
import { type KairosError, isRetryable } from '../../errors/kairos-error';
import type { Logger } from '../../ports/logger';
import type { OrderQuery, StoredOrder, TradeQuery, TradeStore } from '../../ports/trade-store';
import type { JournalEntry } from './journal-entry';
import { LastKnownState } from './last-known-state';
import { JournalReplayer } from './journal-replayer';
import { STORE_EPOCH_KEY, StoreEpoch } from './store-epoch';
import { type StoreAway, StoreHealth } from './store-health';
import { StoreLink } from './store-link';
import { CallTimer, type StoreTime, wallTime } from './store-time';
import { WriteJournal } from './write-journal';

/** How a `JournalingTradeStore` is set up. */
export interface JournalingTradeStoreOptions {
  /**
   * Folder of this process's journal (`journal.jsonl`) and of the store epoch it last saw
   * (`epoch.json`). One per session: two processes must not share it.
   */
  readonly dir: string;
  /** Journal bounds (default 64 MiB, 100,000 writes): past them writes wait for the store. */
  readonly maxJournalBytes?: number;
  readonly maxJournalRecords?: number;
  /** `fdatasync` journal appends (default true). */
  readonly fsync?: boolean;
  /** Failures are retried in place this long (a blip) before the store counts as away. Default 1000 ms. */
  readonly outageAfterMs?: number;
  /** A store call with no answer after this long counts as failed. Default 2000 ms. */
  readonly callTimeoutMs?: number;
  /** Backoff between retries and probes: first wait, doubled up to `maxDelayMs`. Defaults 50 ms, 2000 ms. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** How often the epoch marker is checked while the store is up (wall clock). Default 5000 ms; 0: never. */
  readonly epochCheckMs?: number;
  /** Key of the epoch marker in the store's value space. Default `STORE_EPOCH_KEY`. */
  readonly epochKey?: string;
  /** `close` waits this long for the inner store's close, then calls `onAbandon`. Default 2000 ms. */
  readonly closeTimeoutMs?: number;
  readonly onAbandon?: () => void;
  /** Told when the store goes away (false) and when it is back (true): wire it to a `TradingGate`. */
  readonly onHealthChange?: (healthy: boolean, error?: unknown) => void;
  /** Names the store in log lines (no passwords). */
  readonly name?: string;
  readonly logger?: Logger;
  /** Injectable time, for tests of long outages. */
  readonly time?: Partial<StoreTime>;
}

/**
 * A `TradeStore` over another that keeps trading through store outages of any length
 * without losing a write, and refuses a store that came back without its state.
 *
 * - Up: calls pass through; retryable failures are retried with backoff for
 *   `outageAfterMs` (a blip), each call bounded by `callTimeoutMs`.
 * - Away: writes go to an fsynced, bounded on-disk journal and are acknowledged; reads
 *   are answered from what this process last knew of the store plus the journal
 *   (`LastKnownState`) when that answer is certain, and otherwise wait (never fail
 *   because of time). `onHealthChange(false)` blocks new entries; exits go on.
 * - Back (a probe answers): calls started before are awaited, the epoch marker and the
 *   last order written are checked, the journal is replayed in order (idempotent
 *   writes: a replay interrupted by a crash is replayed again on open), emptied, and
 *   `onHealthChange(true)` reopens entries.
 * - State lost (marker missing or changed, last write missing or older): every call
 *   fails with `STORE_STATE_LOST` from then on, `onStateLost` listeners are told, and
 *   nothing more is written to the store; the journal stays on disk.
 *
 * Call `reconnected()` when the inner store's connection was re-established, so the
 * marker is checked before anything more is written.
 */
export class JournalingTradeStore implements TradeStore {
  private readonly time: StoreTime;
  private readonly known: LastKnownState;
  private readonly health: StoreHealth;
  private readonly replayer: JournalReplayer;
  private readonly link: StoreLink;
  private stopEpochChecks: (() => void) | undefined;

  private constructor(
    private readonly inner: TradeStore,
    private readonly journal: WriteJournal,
    private readonly epoch: StoreEpoch,
    private readonly opts: JournalingTradeStoreOptions,
  ) {
    this.time = { ...wallTime, ...opts.time };
    const callTimeoutMs = opts.callTimeoutMs ?? 2_000;
    const calls = new CallTimer(this.time, callTimeoutMs);
    const now = () => this.time.now();
    const name = opts.name ?? 'trade store';
    const logger = opts.logger ? { logger: opts.logger } : {};
    const epochKey = opts.epochKey ?? STORE_EPOCH_KEY;
    this.known = new LastKnownState(now);
    this.health = new StoreHealth({ now, name, ...logger, ...(opts.onHealthChange ? { onHealthChange: opts.onHealthChange } : {}) });
    this.replayer = new JournalReplayer({ inner, journal, calls, epoch, epochKey, now, name, ...logger });
    this.link = new StoreLink({
      inner,
      journal,
      calls,
      health: this.health,
      replayer: this.replayer,
      known: this.known,
      time: this.time,
      epochKey,
      outageAfterMs: opts.outageAfterMs ?? 1_000,
      callTimeoutMs,
      backoff: (attempt) => Math.min(opts.maxDelayMs ?? 2_000, (opts.baseDelayMs ?? 50) * 2 ** Math.min(attempt, 20)),
      name,
      ...logger,
    });
  }

  /**
   * Opens the journal in `options.dir`, establishes the store's epoch (fails with
   * `STORE_STATE_LOST` when the store lost what this session wrote), and replays what an
   * earlier process of the session left in the journal.
   */
  static async open(inner: TradeStore, options: JournalingTradeStoreOptions): Promise<JournalingTradeStore> {
    const journal = await WriteJournal.open(join(options.dir, 'journal.jsonl'), {
      ...(options.maxJournalBytes !== undefined ? { maxBytes: options.maxJournalBytes } : {}),
      ...(options.maxJournalRecords !== undefined ? { maxRecords: options.maxJournalRecords } : {}),
      ...(options.fsync !== undefined ? { fsync: options.fsync } : {}),
    });
    const store = new JournalingTradeStore(inner, journal, new StoreEpoch(join(options.dir, 'epoch.json')), options);
    try {
      await store.start();
    } catch (err) {
      store.link.close();
      await journal.close();
      throw err;
    }
    return store;
  }

  /** Set once the store was found without its state; every call fails with it. */
  get stateLost(): KairosError | undefined {
    return this.link.lost;
  }

  /** How long the store was away. */
  get away(): StoreAway {
    return this.health.away;
  }

  /** Writes journaled and not yet in the store. */
  get journaled(): number {
    return this.journal.size;
  }

  /** The epoch marker this process checks the store against. */
  get storeEpoch(): string | undefined {
    return this.epoch.epoch;
  }

  /** Calls `listener` once if the store is found without its state; returns an unsubscribe. */
  onStateLost(listener: (error: KairosError) => void): () => void {
    return this.link.onLost(listener);
  }

  /** The inner store reconnected: its marker is checked before anything more is written. */
  reconnected(): void {
    if (this.link.state === 'up') void this.link.recover();
  }

  /** Checks the epoch marker now (also done every `epochCheckMs` while the store is up). */
  async checkEpoch(): Promise<void> {
    if (this.link.state !== 'up') return;
    try {
      const problem = await this.epoch.check(this.replayer.epochAccess());
      if (problem) this.link.enterLost(problem, { epoch: this.epoch.epoch });
    } catch (err) {
      // Unreachable now: the next call finds the outage, and the check runs after it.
      if (!isRetryable(err)) this.opts.logger?.warn({ error: String(err) }, 'store epoch check failed');
    }
  }

  saveOrder(order: StoredOrder): Promise<void> {
    return this.link.write({ op: 'saveOrder', order }, () => this.inner.saveOrder(order));
  }
  getOrder(clientOrderId: string): Promise<StoredOrder | undefined> {
    return this.link.read('getOrder', async () => this.known.order(clientOrderId), () => this.inner.getOrder(clientOrderId), (o) => this.known.noteOrder(o));
  }
  listOrders(query?: OrderQuery): Promise<StoredOrder[]> {
    return this.link.read('listOrders', () => this.known.orders(query), () => this.inner.listOrders(query), (list) => this.known.noteOrderList(query, list));
  }
  saveFill(userId: string, fill: Fill): Promise<boolean> {
    return this.link.writeFill(userId, fill);
  }
  listFills(userId: string, clientOrderId?: string): Promise<Fill[]> {
    return this.link.read('listFills', () => this.known.fills(userId, clientOrderId), () => this.inner.listFills(userId, clientOrderId), (list) => this.known.noteFillList(userId, clientOrderId, list));
  }
  saveTrade(trade: Trade): Promise<void> {
    return this.link.write({ op: 'saveTrade', trade }, () => this.inner.saveTrade(trade));
  }
  listTrades(query?: TradeQuery): Promise<Trade[]> {
    return this.link.read('listTrades', async () => undefined, () => this.inner.listTrades(query), () => {});
  }
  getValue(key: string): Promise<string | undefined> {
    return this.link.read('getValue', () => this.known.value(key), () => this.inner.getValue(key), () => {});
  }
  setValue(key: string, value: string, ttlMs?: number): Promise<void> {
    const entry: JournalEntry = { op: 'setValue', key, value, ...(ttlMs !== undefined ? { expiresAt: this.time.now() + ttlMs } : {}) };
    return this.link.write(entry, () => this.inner.setValue(key, value, ttlMs));
  }
  deleteValue(key: string): Promise<void> {
    return this.link.write({ op: 'deleteValue', key }, () => this.inner.deleteValue(key));
  }

  /**
   * Stops; journaled writes stay on disk and are replayed when the journal is opened
   * next. Waits `closeTimeoutMs` at most for the inner store (a paused server never
   * answers a QUIT), then calls `onAbandon`.
   */
  async close(): Promise<void> {
    if (this.link.state === 'closed') return;
    const lost = this.link.lost;
    this.link.close();
    this.stopEpochChecks?.();
    if (this.journal.size > 0 && !lost) {
      this.opts.logger?.warn({ journaled: this.journal.size, journal: this.journal.file }, 'trade store closed while away: its journaled writes are replayed when this journal is opened next');
    }
    await this.journal.close();
    const closed = await new Promise<boolean>((resolve) => {
      const cancel = this.time.setTimer(() => resolve(false), this.opts.closeTimeoutMs ?? 2_000);
      const done = () => {
        cancel();
        resolve(true);
      };
      (this.inner.close?.() ?? Promise.resolve()).then(done, done);
    });
    if (!closed) this.opts.onAbandon?.();
  }

  private async start(): Promise<void> {
    const problem = await this.retryAtOpen(() => this.epoch.establish(this.replayer.epochAccess(), this.time.now()));
    if (problem) {
      this.link.enterLost(problem);
      throw this.link.lost;
    }
    const { recovery } = this.journal;
    if (recovery.tornBytes > 0) this.opts.logger?.warn({ journal: this.journal.file, bytes: recovery.tornBytes }, 'write journal ended in a torn record (a crash mid-append); it was cut off');
    if (this.journal.size > 0) {
      this.opts.logger?.warn({ journaled: this.journal.size, journal: this.journal.file }, 'replaying writes an earlier run journaled while the store was away');
      this.health.failing(new Error('journal not yet replayed'));
      await this.link.recover();
      if (this.link.lost) throw this.link.lost;
    }
    const every = this.opts.epochCheckMs ?? 5_000;
    if (every > 0) {
      const timer = setInterval(() => void this.checkEpoch(), every);
      timer.unref?.();
      this.stopEpochChecks = () => clearInterval(timer);
    }
  }

  /** The store was connected just before: a failure now is retried a little, then reported. */
  private async retryAtOpen<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (!isRetryable(err) || attempt >= 5) throw err;
        await this.time.sleep(Math.min(2_000, 50 * 2 ** attempt));
      }
    }
  }
}

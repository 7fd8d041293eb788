import { KairosError, isRetryable } from '../../errors/kairos-error';
import type { Logger } from '../../ports/logger';
import type { TradeStore } from '../../ports/trade-store';
import type { JournalEntry } from './journal-entry';
import type { JournalReplayer } from './journal-replayer';
import type { KnownAnswer, LastKnownState } from './last-known-state';
import { storeStateLost } from './store-epoch';
import type { StoreHealth } from './store-health';
import type { CallTimer, StoreTime } from './store-time';
import type { WriteJournal } from './write-journal';

/** Up: calls pass through. Down: away, probing. Recovering: verifying and replaying. */
export type LinkMode = 'up' | 'down' | 'recovering' | 'lost' | 'closed';

export interface StoreLinkDeps {
  readonly inner: TradeStore;
  readonly journal: WriteJournal;
  readonly calls: CallTimer;
  readonly health: StoreHealth;
  readonly replayer: JournalReplayer;
  readonly known: LastKnownState;
  readonly time: StoreTime;
  readonly epochKey: string;
  readonly outageAfterMs: number;
  readonly callTimeoutMs: number;
  readonly backoff: (attempt: number) => number;
  readonly name: string;
  readonly logger?: Logger;
}

/** Thrown inside a pass-through call when the store is found away: the caller goes offline. */
const OFFLINE = Symbol('store offline');

/**
 * The state of the way to the inner store, and the rule every call follows: pass through
 * while up (retrying a blip), else journal a write or answer a read from the last known
 * state, else wait until the store is back. Finds outages, probes, recovers through the
 * `JournalReplayer`, and ends for good when the store's state is lost.
 */
export class StoreLink {
  private mode: LinkMode = 'up';
  private readonly waiters = new Set<{ resolve: () => void; reject: (e: unknown) => void }>();
  private readonly lostListeners = new Set<(error: KairosError) => void>();
  private lostError: KairosError | undefined;
  private probing = false;
  private journalFullLogged = false;

  constructor(private readonly deps: StoreLinkDeps) {}

  get state(): LinkMode {
    return this.mode;
  }

  get lost(): KairosError | undefined {
    return this.lostError;
  }

  onLost(listener: (error: KairosError) => void): () => void {
    if (this.lostError) {
      listener(this.lostError);
      return () => {};
    }
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  /** A write: through, else journaled, else (full journal) after the store is back. */
  async write(entry: JournalEntry, direct: () => Promise<void>): Promise<void> {
    for (;;) {
      this.assertOpen();
      if (this.mode === 'up') {
        try {
          await this.passThrough(entry.op, direct);
          this.deps.known.apply(entry);
          this.deps.replayer.noteWritten(entry);
          return;
        } catch (err) {
          if (err !== OFFLINE) throw err;
          continue;
        }
      }
      if (await this.journalEntry(entry)) return;
      // Full journal (or a disk that refuses it): wait for the store, drop nothing.
      await this.untilUp();
    }
  }

  /** `saveFill`: while away, answered only when "new" or "duplicate" is certain (a fill counted twice is a wrong position). */
  async writeFill(userId: string, fill: Parameters<TradeStore['saveFill']>[1]): Promise<boolean> {
    for (;;) {
      this.assertOpen();
      if (this.mode === 'up') {
        try {
          const stored = await this.passThrough('saveFill', () => this.deps.inner.saveFill(userId, fill));
          this.deps.known.noteFill(userId, fill);
          return stored;
        } catch (err) {
          if (err !== OFFLINE) throw err;
          continue;
        }
      }
      const isNew = this.deps.known.fillIsNew(userId, fill);
      if (isNew === false) return false;
      if (isNew === true && (await this.journalEntry({ op: 'saveFill', userId, fill }))) return true;
      await this.untilUp();
    }
  }

  /** A read: through, else from what is certainly known, else after the store is back. */
  async read<T>(op: string, offline: () => Promise<KnownAnswer<T> | undefined>, direct: () => Promise<T>, note: (value: T) => void): Promise<T> {
    for (;;) {
      this.assertOpen();
      if (this.mode === 'up') {
        try {
          const value = await this.passThrough(op, direct);
          note(value);
          return value;
        } catch (err) {
          if (err !== OFFLINE) throw err;
          continue;
        }
      }
      const answer = await offline();
      if (answer) return answer.value;
      await this.untilUp();
    }
  }

  /** The store answers again (or reconnected, or this is the start): verify, replay, then up. */
  async recover(): Promise<void> {
    if (this.mode === 'lost' || this.mode === 'closed') return;
    this.mode = 'recovering';
    const outcome = await this.deps.replayer.run(() => this.mode === 'recovering', this.deps.callTimeoutMs);
    if (this.mode !== 'recovering') return;
    if (outcome.kind === 'lost') return this.enterLost(outcome.reason);
    if (outcome.kind === 'down') {
      this.mode = 'down';
      this.deps.health.outageBegan(outcome.error, { op: 'recover', journal: this.deps.journal.file });
      void this.probe();
      return;
    }
    this.mode = 'up';
    this.deps.health.recovered({ replayed: outcome.replayed, ...(outcome.rejected > 0 ? { rejected: outcome.rejected } : {}) });
    for (const w of [...this.waiters]) w.resolve();
    this.waiters.clear();
  }

  /** Ends for good: every call fails with STORE_STATE_LOST, nothing more reaches the store. */
  enterLost(reason: string, details: Record<string, unknown> = {}): void {
    if (this.mode === 'lost' || this.mode === 'closed') return;
    this.mode = 'lost';
    const { journal, logger } = this.deps;
    const error = storeStateLost(reason, { journal: journal.file, journaled: journal.size, ...details });
    this.lostError = error;
    logger?.error({ store: this.deps.name, reason, journal: journal.file, journaled: journal.size }, error.message);
    this.deps.health.failing(error);
    this.rejectWaiters(error);
    for (const l of [...this.lostListeners]) l(error);
    this.lostListeners.clear();
  }

  close(): void {
    if (this.mode === 'closed') return;
    this.mode = 'closed';
    this.rejectWaiters(new KairosError('STORE_ERROR', 'trade store closed'));
  }

  /** One call while the store is up: blips are retried; past `outageAfterMs` the store is away (OFFLINE). */
  private async passThrough<T>(op: string, fn: () => Promise<T>): Promise<T> {
    const { time, health } = this.deps;
    const started = time.now();
    for (let attempt = 0; ; attempt++) {
      if (this.mode !== 'up') throw OFFLINE;
      const sent = time.now();
      try {
        const out = await this.deps.calls.run(op, fn);
        if (attempt > 0 && this.mode === 'up') health.blipOver();
        return out;
      } catch (err) {
        if (!isRetryable(err)) throw err;
        if (this.mode !== 'up') throw OFFLINE;
        health.failing(err, sent);
        const delay = this.deps.backoff(attempt);
        if (time.now() - started + delay > this.deps.outageAfterMs) {
          this.enterOutage(op, err);
          throw OFFLINE;
        }
        await time.sleep(delay);
      }
    }
  }

  private enterOutage(op: string, error: unknown): void {
    if (this.mode !== 'up') return;
    this.mode = 'down';
    this.journalFullLogged = false;
    this.deps.health.outageBegan(error, { op, journal: this.deps.journal.file });
    void this.probe();
  }

  /** While away: asks the store (with backoff) until it answers, then recovers. */
  private async probe(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    try {
      for (let attempt = 0; this.mode === 'down'; attempt++) {
        await this.deps.time.sleep(this.deps.backoff(attempt));
        if (this.mode !== 'down') return;
        try {
          await this.deps.calls.run('probe', () => this.deps.inner.getValue(this.deps.epochKey));
        } catch {
          continue;
        }
        await this.recover();
      }
    } finally {
      this.probing = false;
    }
  }

  /** Journals `entry` (applied to the known state at once); false when the journal cannot take it. */
  private async journalEntry(entry: JournalEntry): Promise<boolean> {
    const { journal, logger } = this.deps;
    const appended = journal.tryAppend(entry, this.deps.time.now());
    if (!appended) {
      if (!this.journalFullLogged) logger?.error({ journal: journal.file, journaled: journal.size, bytes: journal.sizeBytes }, 'write journal full: writes wait for the store');
      this.journalFullLogged = true;
      return false;
    }
    this.deps.known.apply(entry);
    try {
      await appended;
      return true;
    } catch (err) {
      // Still in the journal's memory, so it is replayed; the caller waits for the store instead.
      logger?.error({ journal: journal.file, error: String(err) }, 'write journal append failed: the write waits for the store');
      return false;
    }
  }

  private untilUp(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiters.add({ resolve, reject });
    });
  }

  private rejectWaiters(error: unknown): void {
    for (const w of [...this.waiters]) w.reject(error);
    this.waiters.clear();
  }

  private assertOpen(): void {
    if (this.lostError) throw this.lostError;
    if (this.mode === 'closed') throw new KairosError('STORE_ERROR', 'trade store closed');
  }
}

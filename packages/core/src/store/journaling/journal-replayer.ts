import { ORDER_STATUS_RANK, type OrderStatus } from '../../domain/order';
import { isRetryable } from '../../errors/kairos-error';
import type { Logger } from '../../ports/logger';
import type { TradeStore } from '../../ports/trade-store';
import { type JournalEntry, applyJournalEntry } from './journal-entry';
import type { EpochAccess, StoreEpoch } from './store-epoch';
import type { CallTimer } from './store-time';
import type { WriteJournal } from './write-journal';

/** How a recovery ended. */
export type ReplayOutcome =
  | { readonly kind: 'up'; readonly replayed: number; readonly rejected: number }
  | { readonly kind: 'down'; readonly error: unknown }
  | { readonly kind: 'lost'; readonly reason: string };

export interface JournalReplayerDeps {
  readonly inner: TradeStore;
  readonly journal: WriteJournal;
  readonly calls: CallTimer;
  readonly epoch: StoreEpoch;
  readonly epochKey: string;
  readonly now: () => number;
  readonly name: string;
  readonly logger?: Logger;
}

/**
 * Brings a store that answers again up to date: waits for the calls sent before (so none
 * lands after the replay), checks that the store still holds its state (the epoch marker,
 * and the last order this process had confirmed written: a store restored from an older
 * state lacks it or has it at an earlier status), then replays the journal in order and
 * empties it. Progress is kept across attempts, so an outage in the middle of a replay
 * resumes where it stopped; a crash in the middle replays everything again on open,
 * which the idempotent writes make harmless.
 */
export class JournalReplayer {
  /** Entries of the current journal already in the store. */
  private done = 0;
  private witness: { readonly clientOrderId: string; readonly status: OrderStatus } | undefined;

  constructor(private readonly deps: JournalReplayerDeps) {}

  /** The store's epoch marker, through timed calls. */
  epochAccess(): EpochAccess {
    const { inner, calls, epochKey } = this.deps;
    return {
      read: () => calls.run('getValue', () => inner.getValue(epochKey)),
      write: (value) => calls.run('setValue', () => inner.setValue(epochKey, value)),
    };
  }

  /** The store confirmed `entry`: an order write becomes the witness checked after an outage. */
  noteWritten(entry: JournalEntry): void {
    if (entry.op === 'saveOrder') this.witness = { clientOrderId: entry.order.clientOrderId, status: entry.order.status };
  }

  /**
   * Verifies the store and replays the journal while `current()` (the caller is still
   * recovering). `idleWaitMs` bounds the wait for calls still in flight.
   */
  async run(current: () => boolean, idleWaitMs: number): Promise<ReplayOutcome> {
    const { journal, calls, logger } = this.deps;
    try {
      if (!(await calls.whenIdle(idleWaitMs * 10))) {
        logger?.warn({ store: this.deps.name, inFlight: calls.inFlight }, 'calls sent before the outage still have no answer; replaying the journal after them anyway');
      }
      const problem = (await this.deps.epoch.check(this.epochAccess())) ?? (await this.checkWitness());
      if (problem) return { kind: 'lost', reason: problem };
      let replayed = 0;
      let rejected = 0;
      for (;;) {
        const entries = journal.entries;
        while (this.done < entries.length) {
          if (!current()) return { kind: 'down', error: new Error('recovery interrupted') };
          const record = entries[this.done];
          if (record) rejected += await this.replayOne(record.entry, record.seq);
          this.done += 1;
          replayed += 1;
        }
        this.done = 0;
        await journal.clear();
        // Writes journaled while `clear` ran are after the truncation: replay them too.
        if (journal.size === 0) return { kind: 'up', replayed, rejected };
      }
    } catch (error) {
      if (!isRetryable(error)) logger?.error({ store: this.deps.name, error: String(error) }, 'trade store recovery failed; retrying');
      return { kind: 'down', error };
    }
  }

  /** 1 when the store refused the entry for good (logged; retrying cannot help), else 0. */
  private async replayOne(entry: JournalEntry, seq: number): Promise<number> {
    const { inner, calls, now, logger } = this.deps;
    try {
      await calls.run(`replay ${entry.op}`, () => applyJournalEntry(inner, entry, now()));
      this.noteWritten(entry);
      return 0;
    } catch (err) {
      if (isRetryable(err)) throw err;
      logger?.error({ store: this.deps.name, seq, entry, error: String(err) }, 'the store refused a journaled write on replay; it is skipped');
      return 1;
    }
  }

  private async checkWitness(): Promise<string | undefined> {
    const w = this.witness;
    if (!w) return undefined;
    const { inner, calls } = this.deps;
    const stored = await calls.run('getOrder', () => inner.getOrder(w.clientOrderId));
    if (!stored) return `order ${w.clientOrderId}, which the store had confirmed, is missing (the store came back from an older state)`;
    if (ORDER_STATUS_RANK[stored.status] < ORDER_STATUS_RANK[w.status]) {
      return `order ${w.clientOrderId} is back at '${stored.status}' though '${w.status}' was confirmed (the store came back from an older state)`;
    }
    return undefined;
  }
}

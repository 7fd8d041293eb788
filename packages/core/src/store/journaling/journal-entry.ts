import type { Fill } from '../../domain/order';
import type { Trade } from '../../domain/position';
import type { StoredOrder, TradeStore } from '../../ports/trade-store';
import { type DecodedLines, decodeChecksummedLines, encodeChecksummedLine } from '../checksummed-lines';

/**
 * One write the store could not take when it was made, kept for replay. Every entry is
 * idempotent when applied to a store that already has it (orders merge, fills dedupe by
 * id, trades and values overwrite), so replaying a journal twice, e.g. after a crash in
 * the middle of a replay, leaves the store as one replay would.
 */
export type JournalEntry =
  | { readonly op: 'saveOrder'; readonly order: StoredOrder }
  | { readonly op: 'saveFill'; readonly userId: string; readonly fill: Fill }
  | { readonly op: 'saveTrade'; readonly trade: Trade }
  /** `expiresAt` is absolute (ms), so a replay long after the write keeps the deadline. */
  | { readonly op: 'setValue'; readonly key: string; readonly value: string; readonly expiresAt?: number }
  | { readonly op: 'deleteValue'; readonly key: string };

/** An entry as the journal keeps it: numbered in call order, with the time it was made. */
export interface JournalRecord {
  readonly seq: number;
  readonly at: number;
  readonly entry: JournalEntry;
}

/** `<crc32 as 8 hex digits><json>\n`, the file store's framing (see `encodeChecksummedLine`). */
export function encodeJournalRecord(record: JournalRecord): Buffer {
  return encodeChecksummedLine(record);
}

export type DecodedJournal = DecodedLines<JournalRecord>;

function isJournalRecord(value: unknown): value is JournalRecord {
  const rec = value as JournalRecord | null;
  return typeof rec === 'object' && rec !== null && typeof rec.seq === 'number' && typeof rec.entry?.op === 'string';
}

/**
 * Reads records up to the first that is cut short or fails its checksum. A bad record
 * with nothing valid after it is the torn last append of a crash; one followed by valid
 * records is corruption, and the caller refuses it.
 */
export function decodeJournal(buf: Buffer): DecodedJournal {
  return decodeChecksummedLines(buf, isJournalRecord);
}

/**
 * Makes `entry` in `store`. A value whose deadline passed while it waited is deleted
 * instead: the write it stands for set it and it has expired since.
 */
export async function applyJournalEntry(store: TradeStore, entry: JournalEntry, now: number): Promise<void> {
  switch (entry.op) {
    case 'saveOrder':
      return store.saveOrder(entry.order);
    case 'saveFill':
      await store.saveFill(entry.userId, entry.fill);
      return;
    case 'saveTrade':
      return store.saveTrade(entry.trade);
    case 'setValue':
      if (entry.expiresAt === undefined) return store.setValue(entry.key, entry.value);
      if (entry.expiresAt <= now) return store.deleteValue(entry.key);
      return store.setValue(entry.key, entry.value, entry.expiresAt - now);
    case 'deleteValue':
      return store.deleteValue(entry.key);
  }
}

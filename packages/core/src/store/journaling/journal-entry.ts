import type { Fill } from '../../domain/order';
import type { Trade } from '../../domain/position';
import type { StoredOrder, TradeStore } from '../../ports/trade-store';
import { crc32 } from '../crc32';

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

const NEWLINE = Buffer.from('\n');

/** `<crc32 as 8 hex digits><json>\n`: the checksum covers the JSON's UTF-8 bytes (the file store's format). */
export function encodeJournalRecord(record: JournalRecord): Buffer {
  const json = Buffer.from(JSON.stringify(record), 'utf8');
  const head = Buffer.from(crc32(json).toString(16).padStart(8, '0'), 'ascii');
  return Buffer.concat([head, json, NEWLINE]);
}

export interface DecodedJournal {
  readonly records: JournalRecord[];
  /** Bytes of the file that hold whole, valid records. */
  readonly validBytes: number;
  /** The first bad record, and whether a valid one follows it (corruption, not a torn last write). */
  readonly bad?: { readonly offset: number; readonly bytes: number; readonly reason: string; readonly validAfter: boolean };
}

/**
 * Reads records up to the first that is cut short or fails its checksum. A bad record
 * with nothing valid after it is the torn last append of a crash; one followed by valid
 * records is corruption, and the caller refuses it.
 */
export function decodeJournal(buf: Buffer): DecodedJournal {
  const records: JournalRecord[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const nl = buf.indexOf(0x0a, pos);
    const end = nl < 0 ? buf.length : nl;
    const record = nl < 0 ? undefined : parseLine(buf.subarray(pos, end));
    if (!record) {
      const reason = nl < 0 ? 'record cut short (no line end)' : 'checksum or JSON mismatch';
      return { records, validBytes: pos, bad: { offset: pos, bytes: buf.length - pos, reason, validAfter: anyValidAfter(buf, end + 1) } };
    }
    records.push(record);
    pos = end + 1;
  }
  return { records, validBytes: pos };
}

function parseLine(line: Buffer): JournalRecord | undefined {
  if (line.length < 9) return undefined;
  const want = Number.parseInt(line.subarray(0, 8).toString('ascii'), 16);
  const json = line.subarray(8);
  if (!Number.isFinite(want) || crc32(json) !== want) return undefined;
  try {
    const rec = JSON.parse(json.toString('utf8')) as JournalRecord;
    return typeof rec === 'object' && rec !== null && typeof rec.seq === 'number' && typeof rec.entry?.op === 'string' ? rec : undefined;
  } catch {
    return undefined;
  }
}

function anyValidAfter(buf: Buffer, from: number): boolean {
  let pos = from;
  while (pos < buf.length) {
    const nl = buf.indexOf(0x0a, pos);
    if (nl < 0) return false;
    if (parseLine(buf.subarray(pos, nl))) return true;
    pos = nl + 1;
  }
  return false;
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

import { type FileHandle, mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { KairosError } from '../../errors/kairos-error';
import { type JournalEntry, type JournalRecord, decodeJournal, encodeJournalRecord } from './journal-entry';

/** Bounds and durability of a `WriteJournal`. */
export interface WriteJournalOptions {
  /** Largest journal file; an append that would pass it is refused. Default 64 MiB. */
  readonly maxBytes?: number;
  /** Most records held; an append past it is refused. Default 100,000. */
  readonly maxRecords?: number;
  /** `fdatasync` after each batch of appends. Default true; false only for tests and benches. */
  readonly fsync?: boolean;
}

/** What `WriteJournal.open` found in the file. */
export interface JournalRecovery {
  /** Records read back (writes made while the store was away and not yet replayed). */
  readonly records: number;
  /** Bytes of a torn last append that were cut off (a crash in the middle of a write). */
  readonly tornBytes: number;
}

type Op = { kind: 'append'; buf: Buffer; done: (err?: unknown) => void } | { kind: 'clear'; done: (err?: unknown) => void };

/**
 * An append-only file of writes that a store could not take yet, replayed in order when
 * it is back. One record per line with a CRC-32 (the file store's format); appends are
 * group-committed (one `write + fdatasync` for all that arrive while the previous one
 * runs) and resolve only when durable. Bounded in bytes and records: a full journal
 * refuses the append (`tryAppend` returns undefined) instead of dropping anything, and
 * the caller waits for the store. A torn last record (a crash mid-append) is cut off on
 * open; a bad record followed by valid ones is corruption and refused.
 */
export class WriteJournal {
  private records: JournalRecord[];
  private bytes: number;
  private seq: number;
  private readonly ops: Op[] = [];
  private writing: Promise<void> | undefined;
  private draining = false;
  private closed = false;

  private constructor(
    /** Path of the journal file. */
    readonly file: string,
    private readonly fh: FileHandle,
    loaded: JournalRecord[],
    loadedBytes: number,
    /** What open found. */
    readonly recovery: JournalRecovery,
    private readonly opts: Required<WriteJournalOptions>,
  ) {
    this.records = loaded;
    this.bytes = loadedBytes;
    this.seq = loaded.at(-1)?.seq ?? 0;
  }

  /** Opens (creating it and its folder when missing) and reads back what is in it. */
  static async open(file: string, options: WriteJournalOptions = {}): Promise<WriteJournal> {
    await mkdir(dirname(file), { recursive: true });
    let buf: Buffer;
    try {
      buf = await readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      buf = Buffer.alloc(0);
    }
    const decoded = decodeJournal(buf);
    if (decoded.bad?.validAfter) {
      throw new KairosError('STORE_ERROR', `write journal ${file} is corrupt at byte ${decoded.bad.offset} (${decoded.bad.reason}) and valid records follow: not a torn last write; inspect or move the file`, {
        details: { file, offset: decoded.bad.offset },
      });
    }
    const fh = await open(file, 'a+');
    // A torn tail is cut off, so the next append starts on a record boundary.
    if (decoded.bad) await fh.truncate(decoded.validBytes);
    const opts = { maxBytes: options.maxBytes ?? 64 * 1024 * 1024, maxRecords: options.maxRecords ?? 100_000, fsync: options.fsync ?? true };
    return new WriteJournal(file, fh, decoded.records, decoded.validBytes, { records: decoded.records.length, tornBytes: decoded.bad?.bytes ?? 0 }, opts);
  }

  /** Records not yet cleared, oldest first, including appends still being made durable. */
  get entries(): readonly JournalRecord[] {
    return this.records;
  }

  get size(): number {
    return this.records.length;
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  /**
   * Appends `entry` and resolves when it is on disk; the record is in `entries` at once.
   * Returns undefined, appending nothing, when the journal is full.
   */
  tryAppend(entry: JournalEntry, at: number): Promise<void> | undefined {
    if (this.closed) throw new KairosError('STORE_ERROR', `write journal ${this.file} is closed`);
    const record: JournalRecord = { seq: this.seq + 1, at, entry };
    const buf = encodeJournalRecord(record);
    if (this.records.length >= this.opts.maxRecords || this.bytes + buf.length > this.opts.maxBytes) return undefined;
    this.seq = record.seq;
    this.records.push(record);
    this.bytes += buf.length;
    return this.enqueue({ kind: 'append', buf });
  }

  /**
   * Forgets every record (they are in the store now) and empties the file. Appends made
   * after this call land after the truncation, in the emptied file.
   */
  clear(): Promise<void> {
    this.records = [];
    this.bytes = 0;
    return this.enqueue({ kind: 'clear' });
  }

  /** Waits for pending appends, then closes the file; the records stay in it for the next open. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writing;
    await this.fh.close();
  }

  private enqueue(op: { kind: 'append'; buf: Buffer } | { kind: 'clear' }): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.ops.push({ ...op, done: (err?: unknown) => (err === undefined ? resolve() : reject(err)) });
      if (!this.draining) {
        this.draining = true;
        this.writing = this.drain();
      }
    });
  }

  private async drain(): Promise<void> {
    // `draining` drops in the same tick as the loop finds no work, so an op queued after
    // that starts a new drain instead of waiting in the queue for nobody.
    try {
      while (this.ops.length > 0) {
        const first = this.ops[0] as Op;
        const batch = first.kind === 'clear' ? this.ops.splice(0, 1) : this.ops.splice(0, leadingAppends(this.ops));
        try {
          if (first.kind === 'clear') await this.fh.truncate(0);
          else await writeAll(this.fh, Buffer.concat(batch.map((o) => (o.kind === 'append' ? o.buf : Buffer.alloc(0)))));
          if (this.opts.fsync) await this.fh.datasync();
          for (const o of batch) o.done();
        } catch (err) {
          for (const o of batch) o.done(err ?? new Error('journal write failed'));
        }
      }
    } finally {
      this.draining = false;
    }
  }
}

function leadingAppends(ops: readonly Op[]): number {
  let n = 0;
  while (n < ops.length && ops[n]?.kind === 'append') n++;
  return n;
}

async function writeAll(fh: FileHandle, buf: Buffer): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    const { bytesWritten } = await fh.write(buf, off, buf.length - off);
    off += bytesWritten;
  }
}

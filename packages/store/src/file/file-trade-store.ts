import { mkdir, open, readdir, readFile, rename, truncate, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock, Fill, Logger, OrderQuery, StoredOrder, Trade, TradeQuery, TradeStore } from '@kairos/core';
import { StoreError } from '../store-error';
import { FileLock, type FileLockOptions } from './file-lock';
import { type LogRecord, decodeLog, encodeRecord } from './log-record';
import { StoreState } from './store-state';

/** How `FileTradeStore.open` is set up. */
export interface FileTradeStoreOptions {
  /** Directory holding the lock, the snapshot and the log; created if missing. */
  readonly dir: string;
  /** `true` (default): a write resolves only after fsync. `false` for tests and benches. */
  readonly fsync?: boolean;
  /** Compact (snapshot + fresh log) once the log grows past this many bytes. Default 64 MiB. */
  readonly compactAfterBytes?: number;
  /** Time source for value TTLs. Default: the wall clock. */
  readonly clock?: Pick<Clock, 'now'>;
  readonly logger?: Logger;
  /** Heartbeat and take-over timing of the `LOCK` file (see docs/stores.md). Defaults suit most setups. */
  readonly lock?: Pick<FileLockOptions, 'staleAfterMs' | 'heartbeatMs'>;
}

/** What opening found, e.g. a torn last record left by a crash. */
export interface FileStoreRecovery {
  readonly snapshotGeneration: number | undefined;
  readonly recordsReplayed: number;
  /** Set when the last log ended in a cut or corrupt record, which was dropped. */
  readonly tornRecord?: { readonly file: string; readonly offset: number; readonly bytes: number; readonly reason: string };
}

interface Pending {
  readonly bytes: Buffer;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

const SNAPSHOT = /^snapshot-(\d+)\.jsonl$/;
const LOG = /^log-(\d+)\.jsonl$/;

/**
 * A crash-safe `TradeStore` in one directory: an append-only log of checksummed records
 * written with group commit (all writes that arrive while one fsync runs share the
 * next), periodic snapshots that let the log start over, and a lock file so only one
 * process writes. A write resolves once it is on disk. After a crash, a torn last record
 * is detected, dropped and reported in `recovery`; every earlier record is kept.
 * Reads are served from memory.
 */
export class FileTradeStore implements TradeStore {
  private pending: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private failed: StoreError | undefined;
  private closed = false;
  private compactRequested = false;
  private flushes = 0;
  private appended = 0;

  private constructor(
    private readonly opts: Required<Pick<FileTradeStoreOptions, 'dir' | 'fsync' | 'compactAfterBytes'>> & FileTradeStoreOptions,
    private readonly state: StoreState,
    private readonly lock: FileLock,
    private log: FileHandle,
    private generation: number,
    private logBytes: number,
    /** What opening found. */
    readonly recovery: FileStoreRecovery,
  ) {}

  /** Opens (or creates) the store in `options.dir`, replaying snapshot and log. */
  static async open(options: FileTradeStoreOptions): Promise<FileTradeStore> {
    const opts = { fsync: true, compactAfterBytes: 64 * 1024 * 1024, ...options };
    await mkdir(opts.dir, { recursive: true });
    let store: FileTradeStore | undefined;
    let lockLost: StoreError | undefined;
    const lock = await FileLock.acquire(join(opts.dir, 'LOCK'), {
      ...opts.lock,
      // Another process has the directory now (we stalled past its timeout): writing on would interleave two logs.
      onLost: (err) => {
        lockLost = err;
        if (store) store.failed ??= err;
        opts.logger?.error({ err, dir: opts.dir }, 'file store: lock lost; refusing further writes');
      },
    });
    try {
      const names = await readdir(opts.dir);
      for (const n of names) if (n.endsWith('.tmp')) await unlink(join(opts.dir, n));
      const gens = (re: RegExp): number[] => names.map((n) => re.exec(n)?.[1]).filter((g): g is string => g !== undefined).map(Number).sort((a, b) => a - b);
      const state = new StoreState();
      const snapGen = gens(SNAPSHOT).at(-1);
      let replayed = 0;
      if (snapGen !== undefined) replayed += await loadSnapshot(state, join(opts.dir, `snapshot-${snapGen}.jsonl`));
      const base = snapGen ?? 0;
      const logs = gens(LOG).filter((g) => g >= base);
      let torn: FileStoreRecovery['tornRecord'];
      let logBytes = 0;
      for (const [i, g] of logs.entries()) {
        const file = join(opts.dir, `log-${g}.jsonl`);
        const decoded = decodeLog(await readFile(file));
        for (const r of decoded.records) state.apply(r);
        replayed += decoded.records.length;
        logBytes = decoded.validBytes;
        if (!decoded.bad) continue;
        const last = i === logs.length - 1;
        if (!last || decoded.bad.validAfter) {
          throw new StoreError(`store log ${file} is corrupt at byte ${decoded.bad.offset} (${decoded.bad.reason}) with valid records after it; refusing to open`, { details: { file, offset: decoded.bad.offset } });
        }
        // A torn tail is what a crash mid-append leaves: drop it so new records start clean.
        torn = { file, offset: decoded.bad.offset, bytes: decoded.bad.bytes, reason: decoded.bad.reason };
        await truncate(file, decoded.validBytes);
        opts.logger?.warn({ file, offset: decoded.bad.offset, bytes: decoded.bad.bytes, reason: decoded.bad.reason }, 'file store: torn last record dropped');
      }
      const generation = logs.at(-1) ?? base;
      for (const g of gens(LOG)) if (g < base) await unlink(join(opts.dir, `log-${g}.jsonl`));
      for (const g of gens(SNAPSHOT)) if (g < base) await unlink(join(opts.dir, `snapshot-${g}.jsonl`));
      const log = await open(join(opts.dir, `log-${generation}.jsonl`), 'a');
      await syncDir(opts.dir);
      const recovery: FileStoreRecovery = { snapshotGeneration: snapGen, recordsReplayed: replayed, ...(torn ? { tornRecord: torn } : {}) };
      store = new FileTradeStore(opts, state, lock, log, generation, logBytes, recovery);
      if (lockLost) store.failed = lockLost;
      return store;
    } catch (err) {
      await lock.release();
      throw err;
    }
  }

  private now(): number {
    return this.opts.clock?.now() ?? Date.now();
  }

  async saveOrder(order: StoredOrder): Promise<void> {
    this.assertWritable();
    const merged = this.state.mergeFor(order);
    if (!merged) return;
    await this.write({ t: 'order', order: merged });
  }

  async getOrder(clientOrderId: string): Promise<StoredOrder | undefined> {
    return this.state.getOrder(clientOrderId);
  }

  async listOrders(query: OrderQuery = {}): Promise<StoredOrder[]> {
    return this.state.listOrders(query);
  }

  async saveFill(userId: string, fill: Fill): Promise<boolean> {
    this.assertWritable();
    if (this.state.hasFill(userId, fill.id)) return false;
    await this.write({ t: 'fill', userId, fill });
    return true;
  }

  async listFills(userId: string, clientOrderId?: string): Promise<Fill[]> {
    return this.state.listFills(userId, clientOrderId);
  }

  async saveTrade(trade: Trade): Promise<void> {
    this.assertWritable();
    await this.write({ t: 'trade', trade });
  }

  async listTrades(query: TradeQuery = {}): Promise<Trade[]> {
    return this.state.listTrades(query);
  }

  async getValue(key: string): Promise<string | undefined> {
    return this.state.getValue(key, this.now());
  }

  async setValue(key: string, value: string, ttlMs?: number): Promise<void> {
    this.assertWritable();
    await this.write(ttlMs === undefined ? { t: 'set', key, value } : { t: 'set', key, value, expiresAt: this.now() + ttlMs });
  }

  async deleteValue(key: string): Promise<void> {
    this.assertWritable();
    // Absent or expired: nothing to log (an expired value stays expired on replay).
    if (this.state.getValue(key, this.now()) === undefined) return;
    await this.write({ t: 'del', key });
  }

  /** Appends done since open: `flushes` write+fsync passes carrying `records` records. */
  get stats(): { readonly flushes: number; readonly records: number; readonly generation: number } {
    return { flushes: this.flushes, records: this.appended, generation: this.generation };
  }

  /** Writes a snapshot and starts a fresh log now, whatever the log's size. */
  async compact(): Promise<void> {
    this.assertWritable();
    this.compactRequested = true;
    await this.kick();
  }

  /** Flushes what is queued, closes the files and releases the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flushing?.catch(() => undefined);
    await this.log.close().catch(() => undefined);
    await this.lock.release();
  }

  private assertWritable(): void {
    if (this.closed) throw new StoreError(`file store ${this.opts.dir} is closed`);
    if (this.failed) throw this.failed;
  }

  /** Applies the record in memory now and resolves once it is durable. */
  private write(rec: LogRecord): Promise<void> {
    this.state.apply(rec);
    const bytes = encodeRecord(rec);
    const done = new Promise<void>((resolve, reject) => this.pending.push({ bytes, resolve, reject }));
    void this.kick();
    return done;
  }

  private kick(): Promise<void> {
    if (!this.flushing) {
      this.flushing = this.flushLoop().finally(() => {
        this.flushing = undefined;
      });
    }
    return this.flushing;
  }

  /** Group commit: each pass writes everything queued so far with one write and one fsync. */
  private async flushLoop(): Promise<void> {
    // Let writes issued in the same tick join the first batch.
    await new Promise<void>((r) => setImmediate(r));
    while (this.pending.length > 0 || this.compactRequested) {
      const batch = this.pending;
      this.pending = [];
      try {
        if (batch.length > 0) {
          const buf = batch.length === 1 ? (batch[0] as Pending).bytes : Buffer.concat(batch.map((p) => p.bytes));
          await writeAll(this.log, buf);
          if (this.opts.fsync) await this.log.datasync();
          this.logBytes += buf.length;
          this.flushes += 1;
          this.appended += batch.length;
        }
        for (const p of batch) p.resolve();
        if (this.compactRequested || this.logBytes >= this.opts.compactAfterBytes) {
          this.compactRequested = false;
          await this.compactNow();
        }
      } catch (err) {
        // After a failed append the file may end mid-record: stop writing; reopening repairs it.
        this.failed = new StoreError(`file store ${this.opts.dir}: write failed: ${String(err)}`, { cause: err });
        for (const p of [...batch, ...this.pending]) p.reject(this.failed);
        this.pending = [];
        return;
      }
    }
  }

  /**
   * Switches to log G+1 first, then writes snapshot G+1 from the state at that moment.
   * Records queued meanwhile go to log G+1; replaying them over the snapshot is harmless
   * because every record is idempotent. A crash at any step leaves either the old
   * snapshot with logs G and G+1, or the new snapshot: both open to the same state.
   */
  private async compactNow(): Promise<void> {
    const { dir } = this.opts;
    const next = this.generation + 1;
    const newLog = await open(join(dir, `log-${next}.jsonl`), 'a');
    await syncDir(dir);
    const oldLog = this.log;
    const oldGen = this.generation;
    this.log = newLog;
    this.generation = next;
    this.logBytes = 0;
    await oldLog.close();
    const parts: Buffer[] = [];
    let count = 0;
    for (const r of this.state.records(this.now())) {
      parts.push(encodeRecord(r));
      count += 1;
    }
    parts.push(encodeRecord({ t: 'end', count }));
    const tmp = join(dir, `snapshot-${next}.tmp`);
    const fh = await open(tmp, 'w');
    try {
      await writeAll(fh, Buffer.concat(parts));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, join(dir, `snapshot-${next}.jsonl`));
    await syncDir(dir);
    await unlink(join(dir, `log-${oldGen}.jsonl`)).catch(() => undefined);
    await unlink(join(dir, `snapshot-${oldGen}.jsonl`)).catch(() => undefined);
  }
}

async function loadSnapshot(state: StoreState, file: string): Promise<number> {
  const decoded = decodeLog(await readFile(file));
  const end = decoded.records.at(-1);
  if (decoded.bad || !end || end.t !== 'end' || end.count !== decoded.records.length - 1) {
    throw new StoreError(`snapshot ${file} is incomplete or corrupt; refusing to open`, { details: { file } });
  }
  for (const r of decoded.records) state.apply(r);
  return decoded.records.length - 1;
}

async function writeAll(fh: FileHandle, buf: Buffer): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    const { bytesWritten } = await fh.write(buf, off, buf.length - off);
    off += bytesWritten;
  }
}

/** fsync of the directory makes a create, rename or unlink durable. */
async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

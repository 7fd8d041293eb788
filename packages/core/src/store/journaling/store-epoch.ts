import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { KairosError } from '../../errors/kairos-error';

/** Key (in the store's own key/value space, so namespaced like every other key) of the epoch marker. */
export const STORE_EPOCH_KEY = 'kairos:store-epoch';

/** The marker's value: a random id written once, when the store is first used. */
export interface StoreEpochMarker {
  readonly epoch: string;
  readonly createdAt: number;
}

/** The store's marker, as read and written through the `TradeStore` value calls. */
export interface EpochAccess {
  read(): Promise<string | undefined>;
  write(value: string): Promise<void>;
}

/** The error a store that lost its state fails every call with from then on. */
export function storeStateLost(reason: string, details: Record<string, unknown> = {}): KairosError {
  return new KairosError('STORE_STATE_LOST', `store state lost: ${reason}; trading halted, nothing more is written to the store`, { retryable: false, details: { reason, ...details } });
}

/** True for the error `storeStateLost` makes. */
export function isStoreStateLost(err: unknown): err is KairosError {
  return err instanceof KairosError && err.code === 'STORE_STATE_LOST';
}

/**
 * Tells a store that came back empty, or is another store, from the one this process
 * (and, through a file kept beside the journal, the previous process of the same
 * session) wrote to. A random epoch is written to the store the first time it is used;
 * the epoch seen is kept in `file`. A store without the marker that this session saw one
 * in, or with a different one, has lost what was written to it: `check` and `establish`
 * then return the reason, and nothing more may be written to it.
 */
export class StoreEpoch {
  private known: string | undefined;

  constructor(
    /** Where the epoch last seen is kept (`epoch.json` in the journal folder). */
    readonly file: string,
  ) {}

  /** The epoch this process knows, once established. */
  get epoch(): string | undefined {
    return this.known;
  }

  /**
   * At open: adopts the store's marker, or writes one when neither the store nor this
   * session has seen one. Returns why the store's state is lost, or undefined.
   */
  async establish(store: EpochAccess, now: number): Promise<string | undefined> {
    const local = await this.readLocal();
    const remote = parseMarker(await store.read());
    if (remote === undefined && local !== undefined) return `the store has no epoch marker but this session last saw epoch ${local} (emptied or replaced?)`;
    if (remote !== undefined && local !== undefined && remote.epoch !== local) return `the store's epoch is ${remote.epoch} but this session last saw ${local} (another store, or one restored from elsewhere)`;
    let epoch = remote?.epoch;
    if (epoch === undefined) {
      const marker: StoreEpochMarker = { epoch: randomBytes(8).toString('hex'), createdAt: now };
      await store.write(JSON.stringify(marker));
      epoch = marker.epoch;
    }
    if (epoch !== local) await this.writeLocal(epoch);
    this.known = epoch;
    return undefined;
  }

  /** After a reconnect or an outage: the reason the store's state is lost, or undefined. */
  async check(store: EpochAccess): Promise<string | undefined> {
    if (this.known === undefined) return undefined;
    const remote = parseMarker(await store.read());
    if (remote === undefined) return `the store came back without its epoch marker (epoch ${this.known}): it restarted empty or was flushed`;
    if (remote.epoch !== this.known) return `the store came back with epoch ${remote.epoch} instead of ${this.known}: it is another store, or one restored from elsewhere`;
    return undefined;
  }

  private async readLocal(): Promise<string | undefined> {
    try {
      const m = parseMarker(await readFile(this.file, 'utf8'));
      return m?.epoch;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** Temp file, fsync, rename: a crash leaves the old file or the new one, never half of one. */
  private async writeLocal(epoch: string): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(JSON.stringify({ epoch }));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, this.file);
  }
}

function parseMarker(raw: string | undefined): StoreEpochMarker | undefined {
  if (raw === undefined) return undefined;
  try {
    const m = JSON.parse(raw) as Partial<StoreEpochMarker>;
    return typeof m.epoch === 'string' && m.epoch !== '' ? { epoch: m.epoch, createdAt: Number(m.createdAt ?? 0) } : undefined;
  } catch {
    return undefined;
  }
}

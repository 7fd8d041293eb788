import { randomBytes } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';
import { StoreError } from '../store-error';
import type { Me } from './lock-identity';

/** What a lock file holds, as JSON. */
export interface LockRecord {
  readonly v: 2;
  readonly pid: number;
  /** `os.hostname()` of the holder. */
  readonly host: string;
  /** `/proc/sys/kernel/random/boot_id`: the same for every process (and container) of one kernel boot. */
  readonly bootId?: string;
  /** `/proc/self/ns/pid`, e.g. `pid:[4026531836]`: pids only mean something inside one PID namespace. */
  readonly pidNs?: string;
  /** Start of the holder process in clock ticks since boot (`/proc/<pid>/stat` field 22); tells a reused pid apart. */
  readonly procStart?: number;
  /** Name (beside the lock) of a Unix socket the holder listens on, so other PID namespaces can ask if it is alive. */
  readonly socket?: string;
  /** Random per acquisition: tells this holding apart from any other by the same process. */
  readonly token: string;
  /** When the lock was taken, ms since the epoch. */
  readonly since: number;
  /** The heartbeat: refreshed every `heartbeatMs` while held, ms since the epoch. */
  readonly updatedAt: number;
}

/** A lock (or breaker) file as found: its identity on disk and its parsed content. */
export interface Seen {
  readonly dev: number;
  readonly ino: number;
  readonly mtimeMs: number;
  /** `legacy`: written by an older version (`{pid, host}` only). Undefined when unreadable. */
  readonly rec: (Partial<LockRecord> & { pid: number; host: string; legacy?: true }) | undefined;
}

/** Reads the file at `path`: undefined when absent. A read that races a write is retried briefly. */
export async function inspect(path: string): Promise<Seen | undefined> {
  for (let attempt = 0; ; attempt++) {
    const fh = await open(path, 'r').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw new StoreError(`cannot read lock ${path}: ${String(err)}`, { cause: err });
    });
    if (!fh) return undefined;
    try {
      const st = await fh.stat();
      const rec = parseRecord(await fh.readFile('utf8'));
      if (rec || attempt >= 4) return { dev: st.dev, ino: st.ino, mtimeMs: st.mtimeMs, rec };
    } finally {
      await fh.close().catch(() => undefined);
    }
    await new Promise<void>((r) => setTimeout(r, 10));
  }
}

function parseRecord(text: string): Seen['rec'] {
  try {
    const o = JSON.parse(text) as Record<string, unknown>;
    if (typeof o.pid !== 'number' || typeof o.host !== 'string') return undefined;
    if (typeof o.token !== 'string' || typeof o.updatedAt !== 'number') return { pid: o.pid, host: o.host, legacy: true };
    return o as unknown as LockRecord;
  } catch {
    return undefined;
  }
}

/** Writes `body` at the start of a freshly opened lock file; on failure closes `fh` and throws `StoreError`. */
export async function writeLock(fh: FileHandle, body: Buffer): Promise<void> {
  try {
    await fh.write(body, 0, body.length, 0);
    // Synced so that a reader on another host (NFS) sees it.
    await fh.datasync();
  } catch (err) {
    await fh.close().catch(() => undefined);
    throw new StoreError(`cannot write lock: ${String(err)}`, { cause: err });
  }
}

/** The record this process writes when it takes a lock (or breaker) with `token`. */
export function makeRecord(me: Me, token: string, socket: string | undefined): LockRecord {
  const now = Date.now();
  return {
    v: 2,
    pid: me.pid,
    host: me.host,
    ...(me.bootId ? { bootId: me.bootId } : {}),
    ...(me.pidNs ? { pidNs: me.pidNs } : {}),
    ...(me.procStart !== undefined ? { procStart: me.procStart } : {}),
    ...(socket ? { socket } : {}),
    token,
    since: now,
    updatedAt: now,
  };
}

/** A fresh random token: 16 hex digits. */
export function newToken(): string {
  return randomBytes(8).toString('hex');
}

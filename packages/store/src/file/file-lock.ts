import { type FileHandle, open, rename, stat, unlink } from 'node:fs/promises';
import type { Server } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { StoreError } from '../store-error';
import { closeProbe, listenProbe } from './lock-holder-socket';
import { type Me, held, whoAmI } from './lock-identity';
import { isOurLitter, sweepLitter } from './lock-litter';
import { type LockRecord, type Seen, inspect, makeRecord, newToken, writeLock } from './lock-record';
import { type Verdict, judge } from './lock-staleness';

export type { LockRecord } from './lock-record';

/** How `FileLock.acquire` judges and keeps a lock. */
export interface FileLockOptions {
  /**
   * A holder whose process cannot be checked directly (on another host, or in another
   * PID namespace that does not answer on its lock socket) is taken to be gone once its
   * heartbeat is this old. Default 30 000 ms.
   */
  readonly staleAfterMs?: number;
  /** How often the holder refreshes its heartbeat. Default 5 000 ms, or a third of `staleAfterMs` if that is less. */
  readonly heartbeatMs?: number;
  /**
   * Called once if another process has taken the lock over: only possible after this
   * process went `staleAfterMs` without a heartbeat (e.g. it was paused), or after someone
   * replaced the file by hand. The holder must stop writing.
   */
  readonly onLost?: (err: FileLockError) => void;
}

/** Why `FileLock` failed: `held` (another live process has it), `held-by-this-process`, `contended` (others kept taking it over meanwhile; try again) or `lost`. */
export type FileLockFailure = 'held' | 'held-by-this-process' | 'contended' | 'lost';

/** A lock file could not be taken, or was lost. `reason` says which; `holder` is who has it, when known. */
export class FileLockError extends StoreError {
  readonly reason: FileLockFailure;
  readonly holder: Partial<LockRecord> | undefined;

  constructor(reason: FileLockFailure, message: string, options: { path: string; holder?: Partial<LockRecord>; retryable?: boolean; retryAfterMs?: number }) {
    super(message, { retryable: options.retryable ?? false, details: { path: options.path, reason, ...(options.holder ? { holder: options.holder } : {}) } });
    this.reason = reason;
    this.holder = options.holder;
    // StoreError's options do not carry a retry hint; set the base class field directly.
    if (options.retryAfterMs !== undefined) (this as { retryAfterMs: number | undefined }).retryAfterMs = Math.max(0, Math.ceil(options.retryAfterMs));
  }
}

const DEFAULT_STALE_AFTER_MS = 30_000;
const DEFAULT_HEARTBEAT_MS = 5_000;
/** Rounds of look-judge-replace before giving up with `contended`. */
const MAX_ROUNDS = 60;
/** Breakers of breakers: each level needs a crash inside a take-over of milliseconds, so this is ample. */
const MAX_DEPTH = 3;
const TOKEN = /^[0-9a-f]{16}$/;

interface Resolved {
  readonly staleAfterMs: number;
  readonly heartbeatMs: number;
  readonly onLost: ((err: FileLockError) => void) | undefined;
}

/**
 * A lock file that lets one process at a time write a store directory, safe for
 * containers and for directories shared between hosts.
 *
 * The file records the holder's pid, host, boot id, PID namespace, process start time, a
 * random token and a heartbeat refreshed every `heartbeatMs`. A lock is taken over when
 * its holder is provably gone: same machine and PID namespace, and the pid is free or
 * belongs to a process with another start time (a reused pid, e.g. PID 1 of a restarted
 * container); same host name after a reboot; another PID namespace whose lock socket no
 * longer answers. Where the holder cannot be checked (another host) it is taken over
 * once its heartbeat is `staleAfterMs` old. Replacing a stale lock happens under a
 * per-lock "breaker" file created exclusively, so of several processes that find the
 * same stale lock exactly one replaces it.
 */
export class FileLock {
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;
  private lostWith: FileLockError | undefined;
  private released = false;

  private constructor(
    private readonly path: string,
    private readonly fh: FileHandle,
    private record: LockRecord,
    private readonly server: Server | undefined,
    private readonly opts: Resolved,
  ) {
    this.timer = setInterval(() => void this.beat(), opts.heartbeatMs);
    // The heartbeat must not keep a process alive that is otherwise done.
    this.timer.unref();
  }

  /**
   * Takes the lock at `path`, taking over a stale one. Fails with a `FileLockError`
   * naming the holder's pid and host when a live process has it (`retryable` with
   * `retryAfterMs` when the holder is only judged by its heartbeat).
   */
  static async acquire(path: string, options: FileLockOptions = {}): Promise<FileLock> {
    const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    const heartbeatMs = options.heartbeatMs ?? Math.min(DEFAULT_HEARTBEAT_MS, Math.floor(staleAfterMs / 3));
    if (!(heartbeatMs > 0) || heartbeatMs * 2 > staleAfterMs) {
      throw new StoreError(`lock ${path}: heartbeatMs (${heartbeatMs}) must be positive and at most half of staleAfterMs (${staleAfterMs})`);
    }
    const opts: Resolved = { staleAfterMs, heartbeatMs, onLost: options.onLost };
    const me = await whoAmI();
    const token = newToken();
    held.add(token);
    const socketName = `${basename(path)}.${token}.sock`;
    // Listen before the lock is visible: a prober that finds the lock must find the socket.
    const server = me.pidNs ? await listenProbe(join(dirname(path), socketName)) : undefined;
    const record = makeRecord(me, token, server ? socketName : undefined);
    try {
      const fh = await claim(path, record, me, opts, 0);
      await sweepLitter(path, token);
      return new FileLock(path, fh, record, server, opts);
    } catch (err) {
      held.delete(token);
      if (server) await closeProbe(server, join(dirname(path), socketName));
      throw err;
    }
  }

  /** True once another process has taken the lock over (see `onLost`). */
  get lost(): boolean {
    return this.lostWith !== undefined;
  }

  /** Stops the heartbeat and deletes the lock file, unless another process has taken it over. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    await this.beating;
    try {
      if (!this.lostWith) {
        // Delete only our own file: after a take-over the name belongs to the new holder.
        const [mine, seen] = await Promise.all([this.fh.stat(), inspect(this.path)]);
        if (seen && seen.ino === mine.ino && seen.dev === mine.dev && seen.rec?.token === this.record.token) await unlink(this.path).catch(() => undefined);
      }
    } finally {
      await this.fh.close().catch(() => undefined);
      if (this.server && this.record.socket) await closeProbe(this.server, join(dirname(this.path), this.record.socket));
      held.delete(this.record.token);
    }
  }

  /** Refreshes the heartbeat in place, or notices that the name now points at someone else's file. */
  private beat(): Promise<void> | undefined {
    if (this.beating || this.released || this.lostWith) return this.beating;
    this.beating = (async () => {
      try {
        const [mine, named] = await Promise.all([this.fh.stat(), stat(this.path).catch(() => undefined)]);
        if (!named || named.ino !== mine.ino || named.dev !== mine.dev) {
          const now = await inspect(this.path).catch(() => undefined);
          const who = now?.rec ? `process ${now.rec.pid} on host ${now.rec.host}` : 'nobody (the file is gone)';
          this.lostWith = new FileLockError('lost', `lock ${this.path} was lost: it now belongs to ${who}; this process must stop writing`, {
            path: this.path,
            ...(now?.rec ? { holder: now.rec } : {}),
          });
          clearInterval(this.timer);
          this.opts.onLost?.(this.lostWith);
          return;
        }
        // Rewritten in place, same length (only the 13-digit time changes), so a reader
        // never sees a short file; and a taken-over lock's old inode is all we can touch.
        this.record = { ...this.record, updatedAt: Date.now() };
        const buf = Buffer.from(JSON.stringify(this.record));
        await this.fh.write(buf, 0, buf.length, 0);
        await this.fh.truncate(buf.length);
        await this.fh.datasync();
      } catch {
        // A failed refresh is retried on the next tick; others act only on a heartbeat older than staleAfterMs.
      } finally {
        this.beating = undefined;
      }
    })();
    return this.beating;
  }
}

/**
 * Makes `path` name a file holding `rec` and returns a handle to it: created exclusively
 * when absent; when present and judged stale, replaced under the breaker
 * `<path>.break-<its token>`. Throws `FileLockError` when a live process holds it.
 */
async function claim(path: string, rec: LockRecord, me: Me, o: Resolved, depth: number): Promise<FileHandle> {
  const body = Buffer.from(JSON.stringify(rec));
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const fh = await open(path, 'wx').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'EEXIST') return undefined;
      throw new StoreError(`cannot create lock ${path}: ${String(err)}`, { cause: err });
    });
    if (fh) {
      try {
        await writeLock(fh, body);
      } catch (err) {
        // Ours and just created: an empty lock left here would block others until it aged.
        await unlink(path).catch(() => undefined);
        throw err;
      }
      return fh;
    }
    const seen = await inspect(path);
    if (!seen) continue; // released between our create and our look: try to create again
    const verdict = await judge(path, seen, me, o);
    if (!verdict.stale) throw heldError(path, seen, verdict);
    const taken = await replaceStale(path, seen, rec, body, me, o, depth);
    if (taken === 'busy') await sleep(5 + Math.random() * 25);
    else if (taken) {
      // The dead holder's socket file is litter now.
      const sock = seen.rec?.socket;
      if (sock && sock !== rec.socket && isOurLitter(path, sock)) await unlink(join(dirname(path), sock)).catch(() => undefined);
      return taken;
    }
    // else: the file changed while we looked; judge the new one
  }
  throw new FileLockError('contended', `cannot acquire lock ${path}: other processes kept taking it over; try again`, { path, retryable: true, retryAfterMs: 100 });
}

/**
 * Replaces the stale file `seen` at `path` with `body`. Only the process that creates
 * the breaker for `seen` may replace it, and it re-checks that `path` still names `seen`
 * first: so of several processes that judged it stale exactly one replaces it, and
 * none replaces a fresh lock that a faster one put there. Returns 'busy' when another
 * live process is replacing it right now, `undefined` when `path` changed meanwhile.
 */
async function replaceStale(path: string, seen: Seen, rec: LockRecord, body: Buffer, me: Me, o: Resolved, depth: number): Promise<FileHandle | 'busy' | undefined> {
  if (depth >= MAX_DEPTH) throw new FileLockError('contended', `cannot acquire lock ${path}: too many stale take-overs in a row`, { path, retryable: true, retryAfterMs: 100 });
  const id = seen.rec?.token && TOKEN.test(seen.rec.token) ? seen.rec.token : `i${seen.ino}`;
  const breakerPath = `${path}.break-${id}`;
  // A breaker is held for milliseconds, so it needs no socket or heartbeat.
  const breaker = makeRecord(me, newToken(), undefined);
  held.add(breaker.token);
  let bfh: FileHandle;
  try {
    bfh = await claim(breakerPath, breaker, me, o, depth + 1);
  } catch (err) {
    held.delete(breaker.token);
    // Someone alive is replacing this lock now: wait for the result, then judge that.
    if (err instanceof FileLockError && err.reason !== 'lost') return 'busy';
    throw err;
  }
  try {
    const now = await inspect(path);
    if (!now || now.ino !== seen.ino || now.dev !== seen.dev || now.rec?.token !== seen.rec?.token) return undefined;
    // The new lock is written whole under a temp name and renamed over the stale one, so
    // the name is never missing (a plain create could slip in) and never half-written.
    const tmp = `${path}.${rec.token}.new`;
    const fh = await open(tmp, 'w');
    try {
      await writeLock(fh, body);
      await rename(tmp, path);
    } catch (err) {
      await fh.close().catch(() => undefined);
      await unlink(tmp).catch(() => undefined);
      throw new StoreError(`cannot replace stale lock ${path}: ${String(err)}`, { cause: err });
    }
    return fh;
  } finally {
    const mine = await bfh.stat().catch(() => undefined);
    const still = await stat(breakerPath).catch(() => undefined);
    if (mine && still && still.ino === mine.ino && still.dev === mine.dev) await unlink(breakerPath).catch(() => undefined);
    await bfh.close().catch(() => undefined);
    held.delete(breaker.token);
  }
}

function heldError(path: string, seen: Seen, v: Extract<Verdict, { stale: false }>): FileLockError {
  const who = seen.rec ? `process ${seen.rec.pid} on host ${seen.rec.host}` : 'an unknown process';
  const hint = v.self ? '; close the other store on this directory first' : '; only one writer may open it';
  return new FileLockError(v.self ? 'held-by-this-process' : 'held', `store is locked by ${who} (${path}): ${v.why}${hint}`, {
    path,
    ...(seen.rec ? { holder: seen.rec } : {}),
    // Only a holder judged by its heartbeat may go stale by waiting.
    ...(v.retryAfterMs !== undefined ? { retryable: true, retryAfterMs: v.retryAfterMs } : {}),
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

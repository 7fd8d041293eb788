import { randomBytes } from 'node:crypto';
import { type FileHandle, open, readFile, readdir, readlink, rename, stat, unlink } from 'node:fs/promises';
import { type Server, createConnection, createServer } from 'node:net';
import { hostname, uptime } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { StoreError } from '../store-error';

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
/** Leftover temp and socket files of crashed contenders older than this are removed by the next holder. */
const LITTER_AGE_MS = 60_000;
const TOKEN = /^[0-9a-f]{16}$/;

/** Tokens of locks and breakers held (or being taken) by this process: how it recognises its own files. */
const held = new Set<string>();

interface Resolved {
  readonly staleAfterMs: number;
  readonly heartbeatMs: number;
  readonly onLost: ((err: FileLockError) => void) | undefined;
}

/** This process as a lock holder describes itself. */
interface Me {
  readonly pid: number;
  readonly host: string;
  readonly bootId: string | undefined;
  readonly pidNs: string | undefined;
  readonly procStart: number | undefined;
  /** When this kernel booted, ms since the epoch. */
  readonly bootTime: number;
}

/** A lock (or breaker) file as found: its identity on disk and its parsed content. */
interface Seen {
  readonly dev: number;
  readonly ino: number;
  readonly mtimeMs: number;
  /** `legacy`: written by an older version (`{pid, host}` only). Undefined when unreadable. */
  readonly rec: (Partial<LockRecord> & { pid: number; host: string; legacy?: true }) | undefined;
}

type Verdict = { stale: true; why: string } | { stale: false; why: string; self?: true; retryAfterMs?: number };

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

/** Decides whether the holder of `seen` is gone. Rules in order; the first that applies decides. */
async function judge(path: string, seen: Seen, me: Me, o: Resolved): Promise<Verdict> {
  const rec = seen.rec;
  const now = Date.now();
  if (!rec) {
    // A lock file is written right after it is created; one that stays unreadable was cut short by a crash.
    const age = now - seen.mtimeMs;
    return age > o.staleAfterMs ? { stale: true, why: 'the lock file is unreadable' } : { stale: false, why: 'the lock file is unreadable (being written?)', retryAfterMs: o.staleAfterMs - age };
  }
  if (rec.legacy) {
    // Written by an older version: no heartbeat, start time or token, so only the old rule applies.
    if (rec.host !== me.host) return { stale: false, why: 'it was written by an older version without a heartbeat; remove the lock file if that host is gone' };
    if (rec.pid === me.pid) return { stale: true, why: 'its pid is this process, which does not hold it' };
    return isAlive(rec.pid) ? { stale: false, why: 'that process is running' } : { stale: true, why: `no process has pid ${rec.pid}` };
  }
  const updatedAt = typeof rec.updatedAt === 'number' ? rec.updatedAt : 0;
  const age = now - updatedAt;
  const byHeartbeat = (why: string): Verdict =>
    age > o.staleAfterMs
      ? { stale: true, why: `${why}, and its heartbeat is ${secs(age)} old` }
      : { stale: false, why: `${why}; it refreshed the lock ${secs(Math.max(0, age))} ago and is taken over once ${secs(o.staleAfterMs)} pass without a refresh`, retryAfterMs: o.staleAfterMs - age };
  if (rec.host !== me.host) return byHeartbeat('it runs on another host, where its process cannot be checked');
  if (rec.bootId && me.bootId && rec.bootId !== me.bootId) {
    // Same name, other kernel boot: this machine rebooted, unless the heartbeat went on after
    // this boot, which only another machine with the same host name can do.
    if (updatedAt < me.bootTime) return { stale: true, why: 'this host rebooted after its last heartbeat' };
    return byHeartbeat('it has another boot id, so it is another machine with the same host name');
  }
  if (rec.pidNs && me.pidNs && rec.pidNs !== me.pidNs) {
    // Another container on this kernel: its pid means nothing here. Its lock socket does:
    // the kernel refuses connections once the listening process is gone.
    const answer = rec.socket && isOurLitter(path, rec.socket) ? await probe(join(dirname(path), rec.socket)) : 'unknown';
    if (answer === 'alive') return { stale: false, why: 'it runs in another PID namespace (container) and answers on its lock socket' };
    if (answer === 'gone') return { stale: true, why: 'it ran in another PID namespace (container) and its lock socket no longer answers' };
    return byHeartbeat('it runs in another PID namespace (container), where its pid cannot be checked');
  }
  if (rec.pid === me.pid) {
    if (rec.token && held.has(rec.token)) return { stale: false, self: true, why: 'this process already holds it' };
    // This process owns that pid and does not hold the lock, so the writer was an earlier
    // process with the same pid: typically PID 1 of a container that was restarted.
    return { stale: true, why: 'its pid is this process, which does not hold it (an earlier process had the same pid)' };
  }
  // /proc is asked only where it works for ourselves. Its "no such pid" is confirmed with
  // kill(pid, 0) below, since /proc mounted with hidepid hides other users' processes.
  const start = me.procStart !== undefined ? await procStartOf(rec.pid) : undefined;
  if (typeof start === 'number' && typeof rec.procStart === 'number') {
    return start === rec.procStart ? { stale: false, why: 'that process is running' } : { stale: true, why: `pid ${rec.pid} now belongs to another process (it started at tick ${start}, the holder at tick ${rec.procStart})` };
  }
  if (!isAlive(rec.pid)) return { stale: true, why: `no process has pid ${rec.pid}` };
  return byHeartbeat(`a process with pid ${rec.pid} is running, but whether it is the holder cannot be checked`);
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

/** Reads the file at `path`: undefined when absent. A read that races a write is retried briefly. */
async function inspect(path: string): Promise<Seen | undefined> {
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
    await sleep(10);
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

async function writeLock(fh: FileHandle, body: Buffer): Promise<void> {
  try {
    await fh.write(body, 0, body.length, 0);
    // Synced so that a reader on another host (NFS) sees it.
    await fh.datasync();
  } catch (err) {
    await fh.close().catch(() => undefined);
    throw new StoreError(`cannot write lock: ${String(err)}`, { cause: err });
  }
}

/** Removes breakers and crashed contenders' temp and socket files next to a lock we now hold. */
async function sweepLitter(path: string, token: string): Promise<void> {
  const dir = dirname(path);
  const base = `${basename(path)}.`;
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(base) || name.includes(token)) continue;
    // Breakers only matter while their lock is current, and ours is now: any left are from
    // crashed take-overs. Temp and socket files may belong to a contender still trying, so
    // only old ones go.
    const isBreaker = name.startsWith(`${base}break-`);
    if (!isBreaker && !isOurLitter(path, name)) continue;
    if (!isBreaker) {
      const st = await stat(join(dir, name)).catch(() => undefined);
      if (!st || Date.now() - st.mtimeMs < LITTER_AGE_MS) continue;
    }
    await unlink(join(dir, name)).catch(() => undefined);
  }
}

/** True for the names this module creates beside `path`: `<base>.<token>.new|sock`. */
function isOurLitter(path: string, name: string): boolean {
  const m = /^(.+)\.([0-9a-f]{16})\.(new|sock)$/.exec(name);
  return m !== null && m[1] === basename(path);
}

async function listenProbe(socketPath: string): Promise<Server | undefined> {
  // Unix socket paths are limited to ~107 bytes; without one, others fall back to the heartbeat.
  if (process.platform === 'win32' || Buffer.byteLength(socketPath) > 100) return undefined;
  await unlink(socketPath).catch(() => undefined);
  const server = createServer((s) => s.destroy());
  return new Promise((resolve) => {
    server.once('error', () => resolve(undefined));
    server.listen(socketPath, () => {
      server.unref();
      resolve(server);
    });
  });
}

async function closeProbe(server: Server, socketPath: string): Promise<void> {
  await new Promise<void>((r) => server.close(() => r()));
  await unlink(socketPath).catch(() => undefined);
}

/** Asks a holder's lock socket whether it is alive: refused means no process listens any more. */
function probe(socketPath: string): Promise<'alive' | 'gone' | 'unknown'> {
  if (Buffer.byteLength(socketPath) > 100) return Promise.resolve('unknown');
  return new Promise((resolve) => {
    const s = createConnection(socketPath);
    const done = (r: 'alive' | 'gone' | 'unknown'): void => {
      clearTimeout(timer);
      s.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done('unknown'), 1_000);
    s.once('connect', () => done('alive'));
    // ENOENT (socket file removed) proves nothing about the process; only a refusal does.
    s.once('error', (err: NodeJS.ErrnoException) => done(err.code === 'ECONNREFUSED' ? 'gone' : 'unknown'));
  });
}

let identity: Promise<Omit<Me, 'host'>> | undefined;

/** This process's identity; everything but the host name is fixed for its life, so it is read once. */
async function whoAmI(): Promise<Me> {
  identity ??= (async () => {
    const [bootId, pidNs, procStart] = await Promise.all([
      readFile('/proc/sys/kernel/random/boot_id', 'utf8').then((s) => s.trim() || undefined, () => undefined),
      readlink('/proc/self/ns/pid').catch(() => undefined),
      procStartOf(process.pid).then((s) => (typeof s === 'number' ? s : undefined)),
    ]);
    return { pid: process.pid, bootId, pidNs, procStart, bootTime: Date.now() - uptime() * 1000 };
  })();
  return { ...(await identity), host: hostname() };
}

/** Start of process `pid` in clock ticks since boot, 'gone' when no such process, undefined when /proc can't say. */
async function procStartOf(pid: number): Promise<number | 'gone' | undefined> {
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ESRCH' ? 'gone' : undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const start = Number(fields[19]); // field 22 (starttime); fields[0] is field 3
  return Number.isFinite(start) ? start : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function makeRecord(me: Me, token: string, socket: string | undefined): LockRecord {
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

function newToken(): string {
  return randomBytes(8).toString('hex');
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

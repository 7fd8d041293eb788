import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir, uptime } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeStoredOrder } from '@kairos/core/testing';
import { FileLock } from '../src/file/file-lock';
import { FileTradeStore } from '../src/file/file-trade-store';

const CHILD = fileURLToPath(new URL('./lock/lock-child.ts', import.meta.url));
const linux = process.platform === 'linux';

let childBundle = '';
const dirs: string[] = [];
const children: ChildProcessWithoutNullStreams[] = [];

beforeAll(async () => {
  // One bundle for every child: a plain `node x.mjs` start is far faster than tsx.
  childBundle = join(tmpdir(), `kairos-lock-child-${randomBytes(4).toString('hex')}.mjs`);
  await build({ entryPoints: [CHILD], bundle: true, platform: 'node', format: 'esm', target: 'node20', conditions: ['source'], outfile: childBundle, logLevel: 'error' });
});
afterAll(async () => {
  await rm(childBundle, { force: true });
});
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function lockPath(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'kairos-lock-'));
  dirs.push(d);
  return join(d, 'LOCK');
}

interface Child {
  readonly proc: ChildProcessWithoutNullStreams;
  /** The next JSON line the child prints. */
  next(): Promise<{ pid: number; ok?: boolean; ready?: boolean; message?: string }>;
  /** SIGKILLs the child and waits until it is gone. */
  kill9(): Promise<void>;
}

function startChild(path: string, mode: 'hold' | 'contend'): Child {
  const proc = spawn(process.execPath, [childBundle, path, mode], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(proc);
  const lines: string[] = [];
  const waiters: Array<(l: string) => void> = [];
  let buf = '';
  let err = '';
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  proc.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const w = waiters.shift();
      if (w) w(line);
      else lines.push(line);
    }
  });
  const exited = new Promise<void>((r) => proc.on('exit', () => r()));
  return {
    proc,
    next: () =>
      new Promise((resolve, reject) => {
        const l = lines.shift();
        if (l !== undefined) return resolve(JSON.parse(l));
        const timer = setTimeout(() => reject(new Error(`child ${proc.pid} said nothing; stderr: ${err}`)), 5_000);
        waiters.push((line) => {
          clearTimeout(timer);
          resolve(JSON.parse(line));
        });
        void exited.then(() => reject(new Error(`child ${proc.pid} exited; stderr: ${err}`)));
      }),
    kill9: async () => {
      proc.kill('SIGKILL');
      await exited;
    },
  };
}

/** What this process would write about itself, read the same way the lock does but independently. */
async function procStartOf(pid: number | 'self'): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
}

async function lockRecord(over: Record<string, unknown>): Promise<Record<string, unknown>> {
  const { readlink } = await import('node:fs/promises');
  const now = Date.now();
  return {
    v: 2,
    pid: process.pid,
    host: hostname(),
    bootId: (await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim(),
    pidNs: await readlink('/proc/self/ns/pid'),
    procStart: await procStartOf('self'),
    token: randomBytes(8).toString('hex'),
    since: now,
    updatedAt: now,
    ...over,
  };
}

async function readLock(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
}

describe('FileLock', () => {
  it.runIf(linux)('takes over a lock left by PID 1 of an earlier container (pid 1 is alive here, but it is another process)', async () => {
    const path = await lockPath();
    // The crashed bot was PID 1 in its container; here PID 1 is a different, live process
    // that started at another time, so the pid alone must not keep the lock.
    await writeFile(path, JSON.stringify(await lockRecord({ pid: 1, procStart: (await procStartOf(1)) + 12_345 })));
    const lock = await FileLock.acquire(path);
    expect(await readLock(path)).toMatchObject({ pid: process.pid, host: hostname() });
    await lock.release();
  });

  it.runIf(linux)('takes over a lock written with this very pid by an earlier process (a restarted container is PID 1 again)', async () => {
    const path = await lockPath();
    await writeFile(path, JSON.stringify(await lockRecord({ procStart: (await procStartOf('self')) - 500 })));
    const lock = await FileLock.acquire(path);
    await lock.release();
  });

  it.runIf(linux)('takes over a lock written before this machine rebooted (same host, other boot id)', async () => {
    const path = await lockPath();
    const bootedAt = Date.now() - uptime() * 1000;
    await writeFile(path, JSON.stringify(await lockRecord({ pid: 1, procStart: await procStartOf(1), bootId: 'a-boot-before-this-one', updatedAt: bootedAt - 60_000 })));
    const lock = await FileLock.acquire(path);
    await lock.release();
  });

  it('refuses a lock whose holder is alive, naming its pid and host', async () => {
    const path = await lockPath();
    const holder = startChild(path, 'hold');
    const got = await holder.next();
    expect(got.ok).toBe(true);
    const err = await FileLock.acquire(path).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(`locked by process ${got.pid} on host ${hostname()}`);
    expect(err).toMatchObject({ code: 'STORE_ERROR' });
    expect(await readLock(path), 'the refused open left the lock alone').toMatchObject({ pid: got.pid });
  });

  it('refuses a second lock in the same process and says so', async () => {
    const path = await lockPath();
    const lock = await FileLock.acquire(path);
    await expect(FileLock.acquire(path)).rejects.toThrow(/locked by process \d+ .*this process/);
    await lock.release();
    const again = await FileLock.acquire(path);
    await again.release();
  });

  it('takes over the lock of a holder killed with SIGKILL', async () => {
    const path = await lockPath();
    const holder = startChild(path, 'hold');
    const got = await holder.next();
    expect(got.ok).toBe(true);
    await holder.kill9();
    expect(await readLock(path)).toMatchObject({ pid: got.pid });
    const lock = await FileLock.acquire(path);
    expect(await readLock(path)).toMatchObject({ pid: process.pid });
    await lock.release();
    const left = await readdir(join(path, '..'));
    expect(left, 'release and take-over leave no files behind').toEqual([]);
  });

  it.runIf(linux)('judges a holder in another PID namespace (container) on this machine by its lock socket', async () => {
    const path = await lockPath();
    const holder = startChild(path, 'hold');
    const got = await holder.next();
    expect(got.ok).toBe(true);
    // Make the lock read as if written in another container: its pid means nothing here.
    const asIfElsewhere = async (): Promise<void> => {
      const rec = await readLock(path);
      expect(rec.socket).toEqual(expect.stringMatching(/^LOCK\.[0-9a-f]{16}\.sock$/));
      await writeFile(path, JSON.stringify({ ...rec, pid: 1, pidNs: 'pid:[1]' }));
    };
    await asIfElsewhere();
    await expect(FileLock.acquire(path)).rejects.toThrow(/locked by process 1 on host .*answers on its lock socket/);
    await holder.kill9();
    await asIfElsewhere();
    const lock = await FileLock.acquire(path);
    await lock.release();
    expect(await readdir(join(path, '..')), 'the dead holder’s socket file was removed').toEqual([]);
  });

  it('respects a lock from another host while its heartbeat is fresh, and takes it over once the heartbeat is stale', async () => {
    const path = await lockPath();
    await writeFile(path, JSON.stringify({ v: 2, pid: 4242, host: 'other-box', token: 'feedfacefeedface', since: Date.now() - 60_000, updatedAt: Date.now() - 1_000 }));
    const err = await FileLock.acquire(path).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as Error).message).toContain('locked by process 4242 on host other-box');
    expect(err).toMatchObject({ code: 'STORE_ERROR', retryable: true });
    expect((err as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(20_000);

    await writeFile(path, JSON.stringify({ v: 2, pid: 4242, host: 'other-box', token: 'feedfacefeedface', since: Date.now() - 120_000, updatedAt: Date.now() - 31_000 }));
    const lock = await FileLock.acquire(path);
    expect(await readLock(path)).toMatchObject({ pid: process.pid, host: hostname() });
    await lock.release();
  });

  it('uses staleAfterMs for the heartbeat timeout, and refreshes its own heartbeat', async () => {
    const path = await lockPath();
    await writeFile(path, JSON.stringify({ v: 2, pid: 4242, host: 'other-box', token: 'feedfacefeedface', since: Date.now(), updatedAt: Date.now() - 2_000 }));
    await expect(FileLock.acquire(path, { staleAfterMs: 5_000 })).rejects.toThrow(/other-box/);
    const lock = await FileLock.acquire(path, { staleAfterMs: 1_000, heartbeatMs: 20 });
    const first = (await readLock(path)).updatedAt as number;
    await new Promise((r) => setTimeout(r, 120));
    expect((await readLock(path)).updatedAt as number).toBeGreaterThan(first);
    await lock.release();
  });

  it('notices when its lock was taken over and then leaves the new owner alone', async () => {
    const path = await lockPath();
    let lost: Error | undefined;
    const lock = await FileLock.acquire(path, { heartbeatMs: 20, onLost: (e) => (lost = e) });
    const theirs = JSON.stringify({ v: 2, pid: 4242, host: 'other-box', token: 'feedfacefeedface', since: Date.now(), updatedAt: Date.now() });
    await writeFile(`${path}.theirs`, theirs);
    await rename(`${path}.theirs`, path);
    for (let i = 0; i < 50 && !lost; i++) await new Promise((r) => setTimeout(r, 10));
    expect(lost?.message).toMatch(/lost/);
    await lock.release();
    expect(await readFile(path, 'utf8'), 'release did not delete the new owner’s lock').toBe(theirs);
  });

  it('makes a file store refuse writes once its lock was taken over', async () => {
    const path = await lockPath();
    const dir = join(path, '..');
    const store = await FileTradeStore.open({ dir, fsync: false, lock: { heartbeatMs: 20, staleAfterMs: 1_000 } });
    await store.saveOrder(makeStoredOrder({ clientOrderId: 'a' }));
    await writeFile(`${path}.theirs`, JSON.stringify({ v: 2, pid: 4242, host: 'other-box', token: 'feedfacefeedface', since: Date.now(), updatedAt: Date.now() }));
    await rename(`${path}.theirs`, path);
    await expect.poll(() => store.saveOrder(makeStoredOrder({ clientOrderId: 'b' })).then(() => 'written', (e: Error) => e.message), { timeout: 2_000, interval: 20 }).toMatch(/lost.*process 4242 on host other-box/);
    await store.close();
    expect(await readLock(path), 'close left the new owner’s lock alone').toMatchObject({ pid: 4242 });
  });

  it('lets exactly one of several processes racing for a stale lock win', async () => {
    const path = await lockPath();
    let stale = startChild(path, 'hold');
    expect((await stale.next()).ok).toBe(true);
    for (let round = 0; round < 3; round++) {
      await stale.kill9();
      const racers = Array.from({ length: 4 }, () => startChild(path, 'contend'));
      for (const r of racers) expect((await r.next()).ready).toBe(true);
      // Say go to all of them at once; each then judges the same dead lock stale.
      for (const r of racers) r.proc.stdin.write('go\n');
      const results = await Promise.all(racers.map((r) => r.next()));
      const winners = results.filter((r) => r.ok);
      expect(winners, JSON.stringify(results)).toHaveLength(1);
      const winner = winners[0]!;
      for (const r of results.filter((x) => !x.ok)) expect(r.message).toContain(`locked by process ${winner.pid}`);
      expect(await readLock(path)).toMatchObject({ pid: winner.pid });
      for (const r of racers) if (r.proc.pid !== winner.pid) await r.kill9();
      // The winner's lock is the stale one of the next round.
      stale = racers.find((r) => r.proc.pid === winner.pid)!;
    }
  }, 14_000);

  it('lets exactly one of many concurrent acquires in one process win a stale lock', async () => {
    const path = await lockPath();
    await writeFile(path, JSON.stringify({ pid: 2 ** 30, host: hostname(), since: Date.now() }));
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => FileLock.acquire(path)));
    const won = results.filter((r): r is PromiseFulfilledResult<FileLock> => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(String(r.reason)).toMatch(/this process/);
    await won[0]!.value.release();
  });

  it('takes over a lock in the old format ({pid, host}) whose process is gone', async () => {
    const path = await lockPath();
    await writeFile(path, JSON.stringify({ pid: 2 ** 30, host: hostname(), since: Date.now() }));
    const lock = await FileLock.acquire(path);
    await lock.release();
  });
});

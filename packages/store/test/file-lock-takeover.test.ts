import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FileLock, FileLockError } from '../src/file/file-lock';

// Lets a test stall one contender at a chosen step of a take-over; passes through otherwise.
const hooks = vi.hoisted(() => ({ beforeOpen: undefined as undefined | ((path: string, flags: unknown) => Promise<void> | void) }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    open: async (path: Parameters<typeof real.open>[0], flags?: Parameters<typeof real.open>[1], mode?: Parameters<typeof real.open>[2]) => {
      await hooks.beforeOpen?.(String(path), flags);
      return real.open(path, flags, mode);
    },
  };
});

const dirs: string[] = [];
afterEach(async () => {
  hooks.beforeOpen = undefined;
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('FileLock take-over', () => {
  it('a contender that judged the lock stale, but gets the breaker only after another took over, leaves the new lock alone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kairos-lock-'));
    dirs.push(dir);
    const path = join(dir, 'LOCK');
    await writeFile(path, JSON.stringify({ pid: 2 ** 30, host: hostname(), since: Date.now() }));

    // The first contender to reach the breaker waits until the second has judged the same
    // stale lock and is about to create the breaker too; the second then waits until the
    // first has finished its whole take-over (breaker removed again) before it goes on.
    let calls = 0;
    let secondArrived!: () => void;
    const arrived = new Promise<void>((r) => (secondArrived = r));
    let firstDone!: () => void;
    const done = new Promise<void>((r) => (firstDone = r));
    hooks.beforeOpen = async (p, flags) => {
      if (!p.includes('.break-') || flags !== 'wx') return;
      calls += 1;
      if (calls === 1) await arrived;
      else if (calls === 2) {
        secondArrived();
        await done;
      }
    };
    const attempts = [FileLock.acquire(path), FileLock.acquire(path)].map((p) =>
      p.then(
        (lock) => {
          firstDone();
          return lock;
        },
        (err: unknown) => {
          firstDone();
          throw err;
        },
      ),
    );
    const results = await Promise.allSettled(attempts);
    const won = results.filter((r): r is PromiseFulfilledResult<FileLock> => r.status === 'fulfilled');
    expect(calls, 'both contenders went for the breaker').toBeGreaterThanOrEqual(2);
    expect(won).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(FileLockError);
    expect((lost.reason as FileLockError).reason).toBe('held-by-this-process');
    await won[0]!.value.release();
    expect(await readdir(dir), 'no breaker or temp file is left').toEqual([]);
  });
});

import { open, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { StoreError } from '../store-error';

/**
 * A lock file that lets one process at a time write a store directory. It holds the
 * owner's pid and host; a lock whose pid is gone on this host (the owner was killed) is
 * taken over, a live one is refused.
 */
export class FileLock {
  private constructor(private readonly path: string) {}

  static async acquire(path: string): Promise<FileLock> {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fh = await open(path, 'wx');
        await fh.writeFile(JSON.stringify({ pid: process.pid, host: hostname(), since: Date.now() }));
        await fh.sync();
        await fh.close();
        return new FileLock(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new StoreError(`cannot create lock ${path}: ${String(err)}`, { cause: err });
      }
      const owner = await readOwner(path);
      if (owner && owner.host === hostname() && isAlive(owner.pid)) {
        throw new StoreError(`store is locked by process ${owner.pid} (${path}); only one writer may open it`, { details: { path, pid: owner.pid } });
      }
      if (owner && owner.host !== hostname()) {
        throw new StoreError(`store is locked by process ${owner.pid} on host ${owner.host} (${path}); remove the lock file if that host is gone`, { details: { path, ...owner } });
      }
      // The owner died without cleaning up (a crash): the lock is stale.
      await unlink(path).catch(() => undefined);
    }
    throw new StoreError(`cannot acquire lock ${path}: another process keeps taking it`, { retryable: true });
  }

  async release(): Promise<void> {
    await unlink(this.path).catch(() => undefined);
  }
}

async function readOwner(path: string): Promise<{ pid: number; host: string } | undefined> {
  try {
    const o = JSON.parse(await readFile(path, 'utf8')) as { pid?: unknown; host?: unknown };
    return typeof o.pid === 'number' && typeof o.host === 'string' ? { pid: o.pid, host: o.host } : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

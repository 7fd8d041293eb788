import { readdir, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Leftover temp and socket files of crashed contenders older than this are removed by the next holder. */
const LITTER_AGE_MS = 60_000;

/** True for the names this module creates beside `path`: `<base>.<token>.new|sock`. */
export function isOurLitter(path: string, name: string): boolean {
  const m = /^(.+)\.([0-9a-f]{16})\.(new|sock)$/.exec(name);
  return m !== null && m[1] === basename(path);
}

/** Removes breakers and crashed contenders' temp and socket files next to a lock we now hold. */
export async function sweepLitter(path: string, token: string): Promise<void> {
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

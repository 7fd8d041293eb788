import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Marks temporary files so readers skip them and a later writer can sweep leftovers. */
export const TEMP_MARK = '.tmp-';

/**
 * Writes `data` to `path` so that a reader sees either the old file or the complete new
 * one, never a torn write: the bytes go to a temporary file in the same folder (same file
 * system, so the rename is atomic), are flushed to disk, then renamed over the target.
 */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`);
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (err) {
    await handle.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KairosError, type UserRecord, type UserStore } from '@kairos/core';
import type { KeyCheckStore, KeyCheckedWrite, KeyCheckedWriteResult } from './key-check-store';
import { parseUserRecord } from './user-record-schema';

interface UsersFile {
  version: 1;
  /** Key check value of the key the credentials are under; absent in files made before it existed. */
  keyCheck?: string;
  users: Record<string, unknown>;
}

/**
 * A `UserStore` in one JSON file, `<dir>/users.json`, readable by the owner only (0600).
 * Each write goes to a temporary file that is renamed over the old one, so a crash
 * leaves either the old or the new file, never half of one. Reads go to disk each
 * time, so two CLI invocations see each other's writes; writes from one instance are
 * serialized. Meant for one box and small user counts; use Redis beyond that. The
 * registry's key check value sits beside the users, as `keyCheck`.
 */
export class FileUserStore implements UserStore, KeyCheckStore {
  readonly path: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly dir: string) {
    this.path = join(dir, 'users.json');
  }

  async get(id: string): Promise<UserRecord | undefined> {
    const file = await this.read();
    const raw = Object.hasOwn(file.users, id) ? file.users[id] : undefined;
    return raw === undefined ? undefined : parseUserRecord(raw, `${this.path}[${id}]`);
  }

  async list(): Promise<UserRecord[]> {
    const file = await this.read();
    return Object.keys(file.users)
      .sort()
      .map((id) => parseUserRecord(file.users[id], `${this.path}[${id}]`));
  }

  async put(user: UserRecord): Promise<void> {
    await this.mutate((file) => {
      file.users[user.id] = user;
    });
  }

  /** Atomic within this instance (writes are serialized), not across processes. */
  async create(user: UserRecord): Promise<boolean> {
    let created = false;
    await this.mutate((file) => {
      if (Object.hasOwn(file.users, user.id)) return;
      file.users[user.id] = user;
      created = true;
    });
    return created;
  }

  async remove(id: string): Promise<boolean> {
    let removed = false;
    await this.mutate((file) => {
      removed = Object.hasOwn(file.users, id);
      delete file.users[id];
    });
    return removed;
  }

  async readKeyCheck(): Promise<string | undefined> {
    return (await this.read()).keyCheck;
  }

  /** One rename writes the users and the check value together; guarded within this instance, not across processes. */
  async writeKeyChecked(write: KeyCheckedWrite): Promise<KeyCheckedWriteResult> {
    let result: KeyCheckedWriteResult = 'written';
    await this.mutate((file) => {
      if (file.keyCheck !== write.expected) result = 'key-changed';
      else if (write.create && Object.hasOwn(file.users, write.create.id)) result = 'exists';
      if (result !== 'written') return false;
      if (write.create) file.users[write.create.id] = write.create;
      for (const u of write.put ?? []) file.users[u.id] = u;
      file.keyCheck = write.next;
      return true;
    });
    return result;
  }

  /** Applies `change` and rewrites the file, unless `change` returns false (nothing to write). */
  private mutate(change: (file: UsersFile) => boolean | void): Promise<void> {
    const run = this.queue.then(async () => {
      const file = await this.read();
      if (change(file) === false) return;
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      const tmp = `${this.path}.${process.pid}.tmp`;
      await writeFile(tmp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
      await rename(tmp, this.path);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async read(): Promise<UsersFile> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, users: {} };
      throw new KairosError('STORE_ERROR', `cannot read ${this.path}: ${(err as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new KairosError('DATA_INVALID', `${this.path} is not JSON`);
    }
    const file = parsed as Partial<UsersFile>;
    if (file?.version !== 1 || typeof file.users !== 'object' || file.users === null) {
      throw new KairosError('DATA_INVALID', `${this.path} is not a kairos users file (version 1)`);
    }
    if (file.keyCheck !== undefined && typeof file.keyCheck !== 'string') throw new KairosError('DATA_INVALID', `${this.path} has a keyCheck that is not a string`);
    return { version: 1, ...(file.keyCheck === undefined ? {} : { keyCheck: file.keyCheck }), users: { ...file.users } };
  }
}

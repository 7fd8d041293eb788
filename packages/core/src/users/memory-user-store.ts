import type { UserRecord, UserStore } from '../ports/user-store';

/** A `UserStore` in process memory, for tests and embedded runs. */
export class MemoryUserStore implements UserStore {
  private readonly users = new Map<string, UserRecord>();

  async get(id: string): Promise<UserRecord | undefined> {
    return this.users.get(id);
  }

  async list(): Promise<UserRecord[]> {
    return [...this.users.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async put(user: UserRecord): Promise<void> {
    this.users.set(user.id, user);
  }

  async create(user: UserRecord): Promise<boolean> {
    if (this.users.has(user.id)) return false;
    this.users.set(user.id, user);
    return true;
  }

  async remove(id: string): Promise<boolean> {
    return this.users.delete(id);
  }
}

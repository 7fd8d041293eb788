import type { UserRecord, UserStore } from '@kairos/core';

/**
 * One write guarded by the registry's key check value: it happens only if the stored
 * value is still `expected` (`undefined`: none stored yet), and it sets the value to
 * `next` in the same atomic step as the records, so records and check value never
 * disagree about the key.
 */
export interface KeyCheckedWrite {
  readonly expected: string | undefined;
  readonly next: string;
  /** A new user; the write does nothing and answers `exists` when the id is taken. */
  readonly create?: UserRecord;
  /** Users to insert or replace (e.g. re-encrypted by a rotation). */
  readonly put?: readonly UserRecord[];
}

/** `key-changed`: the stored check value was no longer `expected`; nothing was written. */
export type KeyCheckedWriteResult = 'written' | 'exists' | 'key-changed';

/**
 * A `UserStore` that also keeps the registry's key check value (see `SecretBox.keyCheck`).
 * `FileUserStore` and `RedisUserStore` implement it; a store without it is still
 * usable, and the registry then checks the key against the records themselves.
 */
export interface KeyCheckStore {
  /** The stored key check value; `undefined` for a registry made before there was one. */
  readKeyCheck(): Promise<string | undefined>;
  writeKeyChecked(write: KeyCheckedWrite): Promise<KeyCheckedWriteResult>;
}

/** True when the store keeps a key check value. */
export function hasKeyCheck(store: UserStore): store is UserStore & KeyCheckStore {
  const s = store as Partial<KeyCheckStore>;
  return typeof s.readKeyCheck === 'function' && typeof s.writeKeyChecked === 'function';
}

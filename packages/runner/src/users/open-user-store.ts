import { resolve } from 'node:path';
import { ConfigError, type UserStore } from '@kairos/core';
import { Redis } from 'ioredis';
import { FileUserStore } from './file-user-store';
import { RedisUserStore } from './redis-user-store';

export interface UserStoreLocation {
  /** `file:<dir>`, `redis://…`/`rediss://…`, or undefined for the default. */
  readonly spec?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** Where users are kept, resolved from `--store`, `REDIS_URL` and the default. */
export type ResolvedUserStore = { readonly kind: 'file'; readonly dir: string } | { readonly kind: 'redis'; readonly url: string; readonly prefix: string };

/** Default directory of the file store, relative to the working directory (gitignored). */
export const DEFAULT_USER_STORE_DIR = '.kairos';

/**
 * Resolves the store location: `--store` first, then `REDIS_URL`, then
 * `file:.kairos` under the working directory. Redis keys start with
 * `KAIROS_REDIS_PREFIX` (default `kairos:`).
 */
export function resolveUserStore(location: UserStoreLocation, key = '--store'): ResolvedUserStore {
  const spec = location.spec ?? location.env.REDIS_URL;
  const prefix = location.env.KAIROS_REDIS_PREFIX ?? 'kairos:';
  if (spec === undefined || spec === '') return { kind: 'file', dir: resolve(location.cwd, DEFAULT_USER_STORE_DIR) };
  if (spec.startsWith('file:')) {
    const dir = spec.slice('file:'.length);
    if (dir === '') throw new ConfigError(key, 'file: needs a directory, e.g. file:.kairos');
    return { kind: 'file', dir: resolve(location.cwd, dir) };
  }
  if (/^rediss?:\/\//.test(spec)) return { kind: 'redis', url: spec, prefix };
  throw new ConfigError(key, `expected file:<dir> or redis://host:port, got '${spec.replace(/\/\/[^@]*@/, '//***@')}'`);
}

/** Opens the store a location names; the caller closes it. */
export function openUserStore(where: ResolvedUserStore): UserStore {
  if (where.kind === 'file') return new FileUserStore(where.dir);
  const client = new Redis(where.url, { lazyConnect: false, maxRetriesPerRequest: 2, connectTimeout: 5_000 });
  // Connection errors reach callers through the failed command; this only stops the
  // client from printing unhandled 'error' events.
  client.on('error', () => undefined);
  return new RedisUserStore(client, { prefix: where.prefix, ownsClient: true });
}

/** The location with any password in a Redis URL masked, for messages. */
export function describeUserStore(where: ResolvedUserStore): string {
  return where.kind === 'file' ? `file:${where.dir}` : `${where.url.replace(/\/\/[^@]*@/, '//***@')} (prefix ${where.prefix})`;
}

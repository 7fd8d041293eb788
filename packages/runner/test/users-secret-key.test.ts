import { createHash, createHmac, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UserRecord, UserStore } from '@kairos/core';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { usersCommand } from '../src/cli/users-command';
import { FileUserStore } from '../src/users/file-user-store';
import { RedisUserStore } from '../src/users/redis-user-store';
import { SecretBox } from '../src/users/secret-box';
import { UserRegistry } from '../src/users/user-registry';
import { skipVerification } from '../src/users/verify-credentials';

// The registry keeps a key check value so that a wrong but well-formed KAIROS_SECRET_KEY
// is refused before anything is written (otherwise credentials end up under two keys and
// a later rotate-key with the right key fails). Every case runs on both real stores.

const REDIS_URL = 'redis://127.0.0.1:6379';
const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
const prefixes: string[] = [];
const dirs: string[] = [];

afterAll(async () => {
  for (const p of prefixes) {
    const keys = await redis.keys(`${p}*`);
    if (keys.length) await redis.del(...keys);
  }
  await redis.quit();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** The documented check value, computed independently of the implementation. */
function expectedCheck(key: Buffer): string {
  const id = createHash('sha256').update('kairos-secret-key-id\0').update(key).digest('hex').slice(0, 12);
  const checkKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'kairos/registry-key-check/v1', 32));
  const mac = createHmac('sha256', checkKey).update('kairos registry key check v1').digest('base64url');
  return `kc1:${id}:${mac}`;
}

interface Harness {
  readonly store: () => UserStore;
  /** Everything the store holds, as raw text, to prove a refused command wrote nothing. */
  readonly snapshot: () => Promise<string>;
  /** The stored key check value, read raw. */
  readonly check: () => Promise<string | undefined>;
  /** Options for `usersCommand` pointing at this store. */
  readonly cli: (key: Buffer, extra?: Record<string, string>) => { env: Record<string, string>; cwd: string };
}

const harnesses: Record<string, () => Promise<Harness>> = {
  file: async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'kairos-keycheck-'));
    dirs.push(cwd);
    const dir = join(cwd, '.kairos'); // the CLI's default store under its cwd
    const path = join(dir, 'users.json');
    const raw = async () => {
      try {
        return await readFile(path, 'utf8');
      } catch {
        return '<none>';
      }
    };
    return {
      store: () => new FileUserStore(dir),
      snapshot: raw,
      check: async () => {
        const text = await raw();
        return text === '<none>' ? undefined : ((JSON.parse(text) as { keyCheck?: string }).keyCheck ?? undefined);
      },
      cli: (key, extra = {}) => ({ env: { KAIROS_SECRET_KEY: key.toString('base64'), ...extra }, cwd }),
    };
  },
  redis: async () => {
    const prefix = `kairos-test:${randomUUID()}:`;
    prefixes.push(prefix);
    return {
      store: () => new RedisUserStore(redis, { prefix }),
      snapshot: async () => {
        const keys = (await redis.keys(`${prefix}*`)).sort();
        const parts: string[] = [];
        for (const k of keys) {
          const type = await redis.type(k);
          parts.push(`${k} ${type} ${JSON.stringify(type === 'hash' ? await redis.hgetall(k) : await redis.get(k))}`);
        }
        return parts.join('\n');
      },
      check: async () => (await redis.get(`${prefix}users:keycheck`)) ?? undefined,
      cli: (key, extra = {}) => ({
        env: { KAIROS_SECRET_KEY: key.toString('base64'), REDIS_URL, KAIROS_REDIS_PREFIX: prefix, ...extra },
        cwd: tmpdir(),
      }),
    };
  },
};

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

const creds = { KAIROS_API_KEY: 'public-key-0000aaaa', KAIROS_API_SECRET: 'the-api-secret-1' };

/** A record encrypted with `key`, written the way a registry without a check value left it. */
function legacyRecord(id: string, key: Buffer): UserRecord {
  const box = new SecretBox({ current: key });
  return {
    id,
    exchange: 'binance',
    preferredExchange: 'binance',
    credentials: { apiKey: box.encrypt(`key-of-${id}-123456`, `user:${id}:apiKey`), secret: box.encrypt(`secret-of-${id}`, `user:${id}:secret`), apiKeyHint: '…3456' },
    deposit: 100,
    assets: {},
    dailyTrades: { day: '2024-03-01', count: 0 },
    status: 'active',
    createdAt: 1,
    updatedAt: 1,
  };
}

const registryOn = (store: UserStore, current: Buffer, previous: Buffer[] = []) =>
  new UserRegistry({ store, box: new SecretBox({ current, previous }), verify: skipVerification });

describe.each(Object.keys(harnesses))('registry key check (%s store)', (name) => {
  const make = harnesses[name] as () => Promise<Harness>;

  it('refuses `users add` under a different well-formed KAIROS_SECRET_KEY before anything is written or verified', async () => {
    const h = await make();
    const right = randomBytes(32);
    const wrong = randomBytes(32);
    expect(await usersCommand(['add', 'alice', '--exchange', 'binance', '--no-verify'], capture().io, h.cli(right, creds))).toBe(0);
    const before = await h.snapshot();
    const verified: string[] = [];
    const verify = async (exchange: string) => {
      verified.push(exchange);
      return { ok: true };
    };
    const err = await usersCommand(['add', 'bob', '--exchange', 'binance'], capture().io, { ...h.cli(wrong, creds), verify }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'SecretKeyMismatchError', code: 'CONFIG_INVALID', key: 'KAIROS_SECRET_KEY', details: { reason: 'SECRET_KEY_MISMATCH' } });
    expect((err as Error).message).not.toContain(wrong.toString('base64'));
    expect((err as Error).message).not.toContain(right.toString('base64'));
    expect(verified, 'refused before the exchange is called').toEqual([]);
    expect(await h.snapshot(), 'the store is unchanged').toBe(before);

    // The follow-up the bug broke: rotating away from the right key still works.
    const next = randomBytes(32);
    const rot = capture();
    expect(await usersCommand(['rotate-key', '--json'], rot.io, h.cli(next, { KAIROS_SECRET_KEY_PREVIOUS: right.toString('base64') }))).toBe(0);
    expect(JSON.parse(rot.out[0] ?? '{}')).toMatchObject({ rotated: 1, total: 1 });
    expect((await registryOn(h.store(), next).credentials('alice')).secret.reveal()).toBe('the-api-secret-1');
  });

  it('stores a key check value (HMAC under a derived key), never the key, when the registry is created', async () => {
    const h = await make();
    const key = randomBytes(32);
    await registryOn(h.store(), key).add({ id: 'alice', exchange: 'binance', apiKey: 'public-key-0000aaaa', secret: 'the-api-secret-1' });
    expect(await h.check()).toBe(expectedCheck(key));
    const all = await h.snapshot();
    for (const encoding of ['base64', 'base64url', 'hex'] as const) expect(all).not.toContain(key.toString(encoding));
  });

  it('adopts a check value on the first add to an old registry whose records all decrypt with the key', async () => {
    const h = await make();
    const key = randomBytes(32);
    const store = h.store();
    await store.put(legacyRecord('a', key));
    expect(await h.check()).toBeUndefined();
    await registryOn(store, key).add({ id: 'b', exchange: 'binance', apiKey: 'public-key-0000bbbb', secret: 'secret-b' });
    expect(await h.check()).toBe(expectedCheck(key));
    expect((await registryOn(h.store(), key).credentials('a')).secret.reveal()).toBe('secret-of-a');
  });

  it('refuses an add to an old registry whose records do not decrypt with the key, writing nothing', async () => {
    const h = await make();
    const key = randomBytes(32);
    await h.store().put(legacyRecord('a', key));
    const before = await h.snapshot();
    const err = await registryOn(h.store(), randomBytes(32))
      .add({ id: 'b', exchange: 'binance', apiKey: 'public-key-0000bbbb', secret: 'secret-b' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONFIG_INVALID', key: 'KAIROS_SECRET_KEY', details: { reason: 'SECRET_KEY_MISMATCH' } });
    expect(await h.snapshot()).toBe(before);
  });

  it('asks for rotate-key first when KAIROS_SECRET_KEY is new and the registry is still under the previous key', async () => {
    const h = await make();
    const old = randomBytes(32);
    const fresh = randomBytes(32);
    await registryOn(h.store(), old).add({ id: 'a', exchange: 'binance', apiKey: 'public-key-0000aaaa', secret: 'secret-a' });
    const before = await h.snapshot();
    const err = await registryOn(h.store(), fresh, [old])
      .add({ id: 'b', exchange: 'binance', apiKey: 'public-key-0000bbbb', secret: 'secret-b' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONFIG_INVALID', details: { reason: 'SECRET_KEY_MISMATCH' } });
    expect((err as Error).message).toMatch(/rotate-key/);
    expect(await h.snapshot()).toBe(before);
  });

  it('rotate-key moves the check value with the re-encryption, and refuses a keyring that does not match', async () => {
    const h = await make();
    const old = randomBytes(32);
    const fresh = randomBytes(32);
    await registryOn(h.store(), old).add({ id: 'a', exchange: 'binance', apiKey: 'public-key-0000aaaa', secret: 'secret-a' });
    await registryOn(h.store(), old).add({ id: 'b', exchange: 'binance', apiKey: 'public-key-0000bbbb', secret: 'secret-b' });

    const before = await h.snapshot();
    const unrelated = await registryOn(h.store(), randomBytes(32), [randomBytes(32)])
      .rotateKeys()
      .catch((e: unknown) => e);
    expect(unrelated).toMatchObject({ code: 'CONFIG_INVALID', details: { reason: 'SECRET_KEY_MISMATCH' } });
    expect(await h.snapshot()).toBe(before);

    expect(await registryOn(h.store(), fresh, [old]).rotateKeys()).toEqual({ rotated: 2, total: 2 });
    expect(await h.check()).toBe(expectedCheck(fresh));
    expect((await registryOn(h.store(), fresh).credentials('b')).secret.reveal()).toBe('secret-b');
    // The new key alone can add now; the old one is refused.
    await registryOn(h.store(), fresh).add({ id: 'c', exchange: 'binance', apiKey: 'public-key-0000cccc', secret: 'secret-c' });
    await expect(registryOn(h.store(), old).add({ id: 'd', exchange: 'binance', apiKey: 'public-key-0000dddd', secret: 'secret-d' })).rejects.toMatchObject({
      details: { reason: 'SECRET_KEY_MISMATCH' },
    });
  });

  it('rotate-key is all or nothing: one unreadable record leaves every record and the check value as they were', async () => {
    const h = await make();
    const old = randomBytes(32);
    const stray = randomBytes(32); // what the bug left behind: a record under a key nobody has
    const store = h.store();
    await store.put(legacyRecord('a', old));
    await store.put(legacyRecord('m', old));
    await store.put(legacyRecord('z', stray));
    const before = await h.snapshot();
    const err = await registryOn(h.store(), randomBytes(32), [old])
      .rotateKeys()
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: expect.stringMatching(/SECRET_UNREADABLE|CONFIG_INVALID/) });
    expect((err as Error).message).toMatch(/\bz\b/);
    expect(await h.snapshot(), 'no record was re-encrypted').toBe(before);
  });
});

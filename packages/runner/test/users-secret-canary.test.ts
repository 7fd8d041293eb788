import { randomBytes, randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { KairosError } from '@kairos/core';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main';
import { usersCommand } from '../src/cli/users-command';
import { RedisUserStore } from '../src/users/redis-user-store';
import { secretBoxFromEnv } from '../src/users/secret-box';
import { UserRegistry } from '../src/users/user-registry';
import type { VerifyCredentials } from '../src/users/verify-credentials';

// The API secret and key under test. Random hex after a marker so that no innocent
// data matches by chance.
const CANARY = `CANARY~${randomBytes(24).toString('hex')}`;
const KEY_CANARY = `APIKEY~${randomBytes(24).toString('hex')}`;
const PREFIX = `kairos-test:${randomUUID()}:`;
const REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * True when the plain value, or any 8-byte piece of it, is in the bytes. Redis may
 * LZF-compress a value inside DUMP, which can split a long literal into chunks; looking
 * for pieces still catches a value stored in plain text.
 */
function leaks(haystack: Buffer | string, plain: string): boolean {
  const buf = typeof haystack === 'string' ? Buffer.from(haystack, 'utf8') : haystack;
  for (let i = 0; i + 8 <= plain.length; i += 1) if (buf.includes(Buffer.from(plain.slice(i, i + 8), 'utf8'))) return true;
  return false;
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err, text: () => [...out, ...err].join('\n') };
}

describe('a canary API secret never leaks (real Redis, pino, CLI)', () => {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const logLines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  const oldKey = randomBytes(32).toString('base64');
  const newKey = randomBytes(32).toString('base64');
  const env = {
    KAIROS_SECRET_KEY: oldKey,
    REDIS_URL,
    KAIROS_REDIS_PREFIX: PREFIX,
    KAIROS_API_KEY: KEY_CANARY,
    KAIROS_API_SECRET: CANARY,
  };
  const outputs: string[] = [];

  beforeAll(async () => {
    await redis.connect();
  });

  afterAll(async () => {
    const keys = await redis.keys(`${PREFIX}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    vi.unstubAllEnvs();
  });

  it('keeps the secret out of errors when the exchange check echoes it', async () => {
    const echoing: VerifyCredentials = async (_ex, apiKey, secret) => ({ ok: false, reason: `bad signature for ${apiKey.reveal()} using ${secret.reveal()}` });
    const throwing: VerifyCredentials = async (_ex, _k, secret) => {
      throw new Error(`request failed: POST /api/v3/account secret=${secret.reveal()}`);
    };
    for (const verify of [echoing, throwing]) {
      const c = capture();
      const err = await usersCommand(['add', 'mallory', '--exchange', 'binance'], c.io, { env, verify, logger }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KairosError);
      const shown = [String(err), (err as Error).stack ?? '', inspect(err, { depth: 5 }), JSON.stringify(err), JSON.stringify((err as KairosError).details)].join('\n');
      expect(shown).toMatch(/credentials/);
      expect(leaks(shown, CANARY), 'secret in the thrown error').toBe(false);
      expect(leaks(shown, KEY_CANARY), 'api key in the thrown error').toBe(false);
      outputs.push(c.text());
    }
  });

  it('adds, lists, suspends and rotates through the CLI with no secret in output, logs or a DUMP', async () => {
    const accept: VerifyCredentials = async (_ex, apiKey, secret) => ({ ok: apiKey.reveal() === KEY_CANARY && secret.reveal() === CANARY });
    const add = capture();
    expect(await usersCommand(['add', 'alice', '--exchange', 'binance', '--deposit', '2500', '--json'], add.io, { env, verify: accept, logger })).toBe(0);
    expect(JSON.parse(add.out[0] ?? '{}').user).toMatchObject({ id: 'alice', deposit: 2500, status: 'active' });
    outputs.push(add.text());

    // Through the real entry point, with the environment the process would have.
    for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
    const runs: string[][] = [
      ['users', 'list'],
      ['users', 'list', '--json'],
      ['users', 'suspend', 'alice', '--json'],
      ['users', 'add', 'alice', '--exchange', 'binance', '--no-verify'], // duplicate: an error path
      ['users', 'activate', 'alice'],
    ];
    const codes: number[] = [];
    for (const argv of runs) {
      const c = capture();
      codes.push(await main(argv, c.io));
      outputs.push(c.text());
    }
    expect(codes).toEqual([0, 0, 0, 1, 0]);
    expect(outputs.join('\n')).toMatch(/USER_EXISTS/);
    expect(outputs.join('\n')).toMatch(/alice/);

    // Rotation: new key current, old key previous.
    vi.stubEnv('KAIROS_SECRET_KEY', newKey);
    vi.stubEnv('KAIROS_SECRET_KEY_PREVIOUS', oldKey);
    const rot = capture();
    expect(await main(['users', 'rotate-key', '--json'], rot.io)).toBe(0);
    expect(JSON.parse(rot.out[0] ?? '{}')).toMatchObject({ rotated: 1, total: 1 });
    outputs.push(rot.text());

    // The bot's way in: credentials come back intact under the new key alone, and
    // logging them by mistake prints [redacted].
    const box = secretBoxFromEnv({ KAIROS_SECRET_KEY: newKey });
    const registry = new UserRegistry({ store: new RedisUserStore(redis, { prefix: PREFIX }), box, verify: accept, logger });
    const creds = await registry.credentials('alice');
    expect(creds.secret.reveal()).toBe(CANARY);
    logger.info({ creds, user: await registry.get('alice') }, 'oops, logged the credentials');
    outputs.push(inspect(creds), `${creds.secret}`, JSON.stringify(creds));

    const allOutput = outputs.join('\n');
    expect(leaks(allOutput, CANARY), 'secret in CLI output').toBe(false);
    expect(leaks(allOutput, KEY_CANARY), 'api key in CLI output').toBe(false);
    const logs = logLines.join('');
    expect(logs).toMatch(/user added/);
    expect(logs).toMatch(/\[redacted\]/);
    expect(leaks(logs, CANARY), 'secret in pino logs').toBe(false);
    expect(leaks(logs, KEY_CANARY), 'api key in pino logs').toBe(false);

    const keys = await redis.keys(`${PREFIX}*`);
    // The users hash and the registry's key check value (an HMAC, never the key).
    expect(keys.sort(), 'the store wrote under the test prefix').toEqual([`${PREFIX}users`, `${PREFIX}users:keycheck`]);
    for (const key of keys) {
      const dump = await redis.dumpBuffer(key);
      expect(dump, key).not.toBeNull();
      expect(leaks(dump as Buffer, CANARY), `secret in DUMP of ${key}`).toBe(false);
      expect(leaks(dump as Buffer, KEY_CANARY), `api key in DUMP of ${key}`).toBe(false);
      for (const k of [oldKey, newKey]) expect(leaks(dump as Buffer, k), `a secret key in DUMP of ${key}`).toBe(false);
      if (key.endsWith(':keycheck')) continue;
      const fields = await redis.hgetall(key);
      expect(Object.keys(fields)).toEqual(['alice']);
      expect(leaks(JSON.stringify(fields), CANARY), `secret in the stored value of ${key}`).toBe(false);
    }
  });

  it('the DUMP check would catch a plain secret stored the same way (control)', async () => {
    const control = `${PREFIX}control`;
    await redis.hset(control, 'alice', JSON.stringify({ id: 'alice', credentials: { apiKey: KEY_CANARY, secret: CANARY, apiKeyHint: '…' }, pad: 'x'.repeat(400) }));
    const dump = (await redis.dumpBuffer(control)) as Buffer;
    expect(leaks(dump, CANARY)).toBe(true);
    await redis.del(control);
  });
});

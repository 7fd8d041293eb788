import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KairosError, MemoryUserStore } from '@kairos/core';
import { afterEach, describe, expect, it } from 'vitest';
import { FileUserStore } from './file-user-store';
import { SecretBox } from './secret-box';
import { UserRegistry } from './user-registry';
import { type VerifyCredentials, skipVerification } from './verify-credentials';

const DAY = 86_400_000;
const clockAt = (t: { now: number }) => ({ now: () => t.now });

function registry(overrides: Partial<ConstructorParameters<typeof UserRegistry>[0]> = {}) {
  return new UserRegistry({ store: new MemoryUserStore(), box: new SecretBox({ current: randomBytes(32) }), verify: skipVerification, ...overrides });
}

describe('UserRegistry', () => {
  it('adds a user with encrypted credentials and hands them back only wrapped', async () => {
    const store = new MemoryUserStore();
    const reg = registry({ store });
    const view = await reg.add({ id: 'alice', exchange: 'binance', apiKey: 'AKIA-public-key-0001', secret: 'the-plain-secret', deposit: 1_500 });
    expect(view).toMatchObject({ id: 'alice', exchange: 'binance', preferredExchange: 'binance', status: 'active', deposit: 1_500, apiKeyHint: '…0001' });
    expect(JSON.stringify(view)).not.toContain('the-plain-secret');
    const stored = await store.get('alice');
    expect(JSON.stringify(stored)).not.toContain('the-plain-secret');
    expect(JSON.stringify(stored)).not.toContain('AKIA-public-key-0001');
    const creds = await reg.credentials('alice');
    expect(creds.secret.reveal()).toBe('the-plain-secret');
    expect(creds.apiKey.reveal()).toBe('AKIA-public-key-0001');
    expect(JSON.stringify(creds)).not.toContain('the-plain-secret');
  });

  it('checks the key against the exchange and refuses a rejected key without storing it', async () => {
    const calls: string[] = [];
    const verify: VerifyCredentials = async (exchange, apiKey, secret) => {
      calls.push(exchange);
      return secret.reveal() === 'good-secret' ? { ok: true } : { ok: false, reason: `invalid signature for ${apiKey.reveal()}/${secret.reveal()}` };
    };
    const store = new MemoryUserStore();
    const reg = registry({ store, verify });
    const err = await reg.add({ id: 'bob', exchange: 'kraken', apiKey: 'key-of-bob-123', secret: 'bad-secret-xyz' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KairosError);
    expect((err as KairosError).code).toBe('EXCHANGE_AUTH');
    expect((err as Error).message, 'the echoed secret is scrubbed').not.toContain('bad-secret-xyz');
    expect((err as Error).message).not.toContain('key-of-bob-123');
    expect(await store.get('bob')).toBeUndefined();
    await reg.add({ id: 'bob', exchange: 'kraken', apiKey: 'key-of-bob-123', secret: 'good-secret' });
    expect(calls).toEqual(['kraken', 'kraken']);
  });

  it('scrubs secrets from errors the check throws and keeps their retry class', async () => {
    const verify: VerifyCredentials = async (_e, _k, secret) => {
      throw new KairosError('EXCHANGE_UNAVAILABLE', `timeout calling /balance with ${secret.reveal()}`, { retryable: true });
    };
    const err = (await registry({ verify })
      .add({ id: 'c', exchange: 'binance', apiKey: 'k-123456', secret: 'leaky-secret-999' })
      .catch((e: unknown) => e)) as KairosError;
    expect(err.code).toBe('EXCHANGE_UNAVAILABLE');
    expect(err.retryable).toBe(true);
    expect(err.message).not.toContain('leaky-secret-999');
    expect(err.cause, 'the original error (which may hold the request) is dropped').toBeUndefined();
  });

  it('validates input and names the field', async () => {
    const reg = registry();
    await expect(reg.add({ id: 'bad id!', exchange: 'binance', apiKey: 'k', secret: 's' })).rejects.toMatchObject({ key: 'id' });
    await expect(reg.add({ id: 'a', exchange: 'Binance!', apiKey: 'k', secret: 's' })).rejects.toMatchObject({ key: 'exchange' });
    await expect(reg.add({ id: 'a', exchange: 'binance', apiKey: 'k', secret: '' })).rejects.toMatchObject({ key: 'secret' });
    await expect(reg.add({ id: 'a', exchange: 'binance', apiKey: 'k', secret: 's', deposit: -5 })).rejects.toMatchObject({ key: 'deposit' });
    await reg.add({ id: 'a', exchange: 'binance', apiKey: 'k', secret: 's' });
    await expect(reg.add({ id: 'a', exchange: 'binance', apiKey: 'k', secret: 's' })).rejects.toMatchObject({ code: 'USER_EXISTS' });
  });

  it('suspends, activates, updates, removes, and counts trades per UTC day', async () => {
    const t = { now: Date.UTC(2024, 2, 1, 23, 0) };
    const reg = registry({ clock: clockAt(t) });
    await reg.add({ id: 'a', exchange: 'binance', apiKey: 'k', secret: 's', assets: { USDT: 10 } });
    expect((await reg.suspend('a')).status).toBe('suspended');
    expect((await reg.activate('a')).status).toBe('active');
    expect((await reg.update('a', { deposit: 6_000, assets: { BTC: 0.1 }, preferredExchange: 'kraken' })).preferredExchange).toBe('kraken');
    expect(await reg.recordTrade('a')).toBe(1);
    expect(await reg.recordTrade('a')).toBe(2);
    expect((await reg.get('a')).tradesToday).toBe(2);
    t.now += 2 * 3_600_000; // past midnight UTC
    expect(await reg.tradesOn('a'), 'a new day starts at zero').toBe(0);
    expect(await reg.recordTrade('a')).toBe(1);
    expect(await reg.tradesOn('a', t.now - DAY)).toBe(0);
    await reg.remove('a');
    await expect(reg.get('a')).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
    await expect(reg.remove('a')).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
  });

  it('re-encrypts every credential under a new key', async () => {
    const store = new MemoryUserStore();
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const before = registry({ store, box: new SecretBox({ current: oldKey }) });
    await before.add({ id: 'a', exchange: 'binance', apiKey: 'key-a-123456', secret: 'sec-a' });
    await before.add({ id: 'b', exchange: 'binance', apiKey: 'key-b-123456', secret: 'sec-b' });
    const during = registry({ store, box: new SecretBox({ current: newKey, previous: [oldKey] }) });
    expect(await during.rotateKeys()).toEqual({ rotated: 2, total: 2 });
    expect(await during.rotateKeys(), 'nothing left to rotate').toEqual({ rotated: 0, total: 2 });
    const after = registry({ store, box: new SecretBox({ current: newKey }) });
    expect((await after.credentials('b')).secret.reveal()).toBe('sec-b');
    const stale = registry({ store, box: new SecretBox({ current: oldKey }) });
    await expect(stale.credentials('a')).rejects.toMatchObject({ code: 'SECRET_UNREADABLE' });
  });
});

describe('FileUserStore', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('persists across instances in an owner-only file and keeps only ciphertext', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kairos-users-'));
    const box = new SecretBox({ current: randomBytes(32) });
    const first = new UserRegistry({ store: new FileUserStore(dir), box, verify: skipVerification });
    await Promise.all([
      first.add({ id: 'a', exchange: 'binance', apiKey: 'key-a-123456', secret: 'file-secret-a' }),
      first.add({ id: 'b', exchange: 'binance', apiKey: 'key-b-123456', secret: 'file-secret-b' }),
    ]);
    const second = new UserRegistry({ store: new FileUserStore(dir), box, verify: skipVerification });
    expect((await second.list()).map((u) => u.id), 'concurrent writes of one instance are both kept').toEqual(['a', 'b']);
    expect((await second.credentials('a')).secret.reveal()).toBe('file-secret-a');
    const text = await readFile(join(dir, 'users.json'), 'utf8');
    expect(text).toContain('"a"');
    expect(text).not.toContain('file-secret');
    expect((await stat(join(dir, 'users.json'))).mode & 0o777).toBe(0o600);
    expect(await new FileUserStore(dir).remove('a')).toBe(true);
    expect(await new FileUserStore(dir).remove('a')).toBe(false);
  });
});

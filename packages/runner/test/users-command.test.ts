import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { usersCommand } from '../src/cli/users-command';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('kairos users (file store)', () => {
  let cwd: string | undefined;
  afterEach(async () => {
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  it('adds to .kairos/users.json under the cwd by default, lists, suspends and removes', async () => {
    cwd = await mkdtemp(join(tmpdir(), 'kairos-cli-'));
    const env = { KAIROS_SECRET_KEY: randomBytes(32).toString('base64'), MY_KEY: 'public-key-abcd1234', MY_SECRET: 'file-cli-secret-777' };
    const opts = { env, cwd };
    const add = capture();
    expect(await usersCommand(['add', 'alice', '--exchange', 'kraken', '--deposit', '999', '--api-key-env', 'MY_KEY', '--secret-env', 'MY_SECRET', '--no-verify'], add.io, opts)).toBe(0);
    expect(add.out[0]).toMatch(/added alice on kraken .*NOT verified.*\.kairos/);
    const text = await readFile(join(cwd, '.kairos', 'users.json'), 'utf8');
    expect(text).toContain('"alice"');
    expect(text).not.toContain('file-cli-secret-777');

    const list = capture();
    expect(await usersCommand(['list', '--json'], list.io, opts)).toBe(0);
    const { users } = JSON.parse(list.out[0] ?? '{}') as { users: Array<Record<string, unknown>> };
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ id: 'alice', exchange: 'kraken', deposit: 999, status: 'active', apiKeyHint: '…1234' });
    expect(Object.keys(users[0] ?? {})).not.toContain('credentials');

    expect(await usersCommand(['suspend', 'alice'], capture().io, opts)).toBe(0);
    const table = capture();
    await usersCommand(['list'], table.io, opts);
    expect(table.out.join('\n')).toMatch(/alice\s+kraken\s+suspended/);
    expect(await usersCommand(['remove', 'alice'], capture().io, opts)).toBe(0);
    await expect(usersCommand(['remove', 'alice'], capture().io, opts)).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
  });

  it('checks the key with the given verifier unless --no-verify, and stores nothing when refused', async () => {
    cwd = await mkdtemp(join(tmpdir(), 'kairos-cli-'));
    const env = { KAIROS_SECRET_KEY: randomBytes(32).toString('base64'), KAIROS_API_KEY: 'key-123456789', KAIROS_API_SECRET: 'refused-secret-1' };
    const seen: string[] = [];
    const verify = async (exchange: string) => {
      seen.push(exchange);
      return { ok: false, reason: 'API key is invalid.' };
    };
    await expect(usersCommand(['add', 'bob', '--exchange', 'bybit'], capture().io, { env, cwd, verify })).rejects.toMatchObject({ code: 'EXCHANGE_AUTH' });
    expect(seen).toEqual(['bybit']);
    const list = capture();
    await usersCommand(['list', '--json'], list.io, { env, cwd, verify });
    expect(JSON.parse(list.out[0] ?? '{}')).toEqual({ users: [] });
    expect(await usersCommand(['add', 'bob', '--exchange', 'bybit', '--no-verify'], capture().io, { env, cwd, verify })).toBe(0);
    expect(seen, '--no-verify skips the check').toEqual(['bybit']);
  });

  it('names the missing piece: subcommand, id, --no-verify, the secret key and the credentials', async () => {
    cwd = await mkdtemp(join(tmpdir(), 'kairos-cli-'));
    const key = randomBytes(32).toString('base64');
    const run = (argv: string[], env: Record<string, string> = { KAIROS_SECRET_KEY: key }) => usersCommand(argv, capture().io, { env, cwd: cwd as string });
    await expect(run(['frobnicate'])).rejects.toMatchObject({ key: 'users' });
    await expect(run(['suspend'])).rejects.toMatchObject({ key: '<id>' });
    await expect(run(['list'], {})).rejects.toMatchObject({ key: 'KAIROS_SECRET_KEY' });
    await expect(run(['add', 'bob', '--exchange', 'binance', '--no-verify'])).rejects.toMatchObject({ key: '--api-key-env' });
    await expect(run(['add', 'bob', '--no-verify'], { KAIROS_SECRET_KEY: key, KAIROS_API_KEY: 'k', KAIROS_API_SECRET: 's' })).rejects.toMatchObject({ key: '--exchange' });
  });
});

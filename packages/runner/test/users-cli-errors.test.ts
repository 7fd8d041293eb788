import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main';
import { usersCommand } from '../src/cli/users-command';

// Error paths of `kairos users` and of the CLI entry point: no secret value is echoed,
// and under --json every error is one JSON object on stderr (stdout carries only results,
// as the rest of the suite expects of --json errors).

const KEY_LIKE = `sk+live/${randomBytes(24).toString('base64')}`; // not a variable name
const BINANCE_LIKE = `X${randomBytes(32).toString('hex').slice(0, 63)}`; // a valid name, shaped like a real key

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err, text: () => [...out, ...err].join('\n') };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kairos-cli-errors-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.unstubAllEnvs();
});

function stubEnv(env: Record<string, string | undefined>) {
  for (const name of ['REDIS_URL', 'KAIROS_REDIS_PREFIX', 'KAIROS_SECRET_KEY_PREVIOUS', 'KAIROS_API_KEY', 'KAIROS_API_SECRET']) vi.stubEnv(name, undefined);
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
}

describe('kairos users never echoes a secret', () => {
  it('refuses an --api-key-env / --secret-env that is a value, not a variable name, without showing it', async () => {
    const key = randomBytes(32).toString('base64');
    for (const flag of ['--api-key-env', '--secret-env']) {
      for (const json of [false, true]) {
        stubEnv({ KAIROS_SECRET_KEY: key, KAIROS_API_KEY: 'public-key-0000aaaa', KAIROS_API_SECRET: 'secret-0000' });
        const c = capture();
        const argv = ['users', 'add', 'alice', '--exchange', 'binance', '--no-verify', '--store', `file:${dir}`, flag, KEY_LIKE, ...(json ? ['--json'] : [])];
        expect(await main(argv, c.io)).toBe(2);
        expect(c.text()).toContain(flag);
        expect(c.text(), `${flag} value echoed`).not.toContain(KEY_LIKE);
        expect(c.text()).not.toContain(KEY_LIKE.slice(8, 24));
      }
    }
  });

  it('does not echo a custom variable name that is not set (it may be a key pasted in by mistake)', async () => {
    const key = randomBytes(32).toString('base64');
    const err = await usersCommand(['add', 'alice', '--exchange', 'binance', '--no-verify', '--api-key-env', BINANCE_LIKE], capture().io, {
      env: { KAIROS_SECRET_KEY: key, KAIROS_API_SECRET: 'secret-0000' },
      cwd: dir,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONFIG_INVALID', key: '--api-key-env' });
    expect(JSON.stringify({ m: (err as Error).message, d: (err as { details?: unknown }).details })).not.toContain(BINANCE_LIKE);
    // The default name is not a secret and is still named, to say what to set.
    await expect(usersCommand(['add', 'alice', '--exchange', 'binance', '--no-verify'], capture().io, { env: { KAIROS_SECRET_KEY: key }, cwd: dir })).rejects.toThrow(
      /KAIROS_API_KEY/,
    );
  });

  it('does not echo stray arguments, where credentials pasted on the command line would land', async () => {
    stubEnv({ KAIROS_SECRET_KEY: randomBytes(32).toString('base64'), KAIROS_API_KEY: 'public-key-0000aaaa', KAIROS_API_SECRET: 'secret-0000' });
    for (const argv of [
      ['users', 'add', 'alice', BINANCE_LIKE, '--exchange', 'binance', '--store', `file:${dir}`],
      ['users', 'list', KEY_LIKE, '--store', `file:${dir}`],
    ]) {
      const c = capture();
      expect(await main(argv, c.io)).toBe(2);
      expect(c.text()).toMatch(/CONFIG_INVALID/);
      expect(c.text()).not.toContain(BINANCE_LIKE);
      expect(c.text()).not.toContain(KEY_LIKE);
    }
  });
});

describe('--json errors', () => {
  /** Runs main and checks the one-JSON-object-on-stderr contract; returns the error. */
  async function jsonError(argv: string[], exit: number): Promise<{ code: string; message: string }> {
    const c = capture();
    expect(await main(argv, c.io), argv.join(' ')).toBe(exit);
    expect(c.out, `${argv.join(' ')}: nothing on stdout`).toEqual([]);
    expect(c.err, `${argv.join(' ')}: one line on stderr`).toHaveLength(1);
    const parsed = JSON.parse(c.err[0] ?? '') as { error: { code: string; message: string } };
    expect(Object.keys(parsed)).toEqual(['error']);
    expect(parsed.error.code).toEqual(expect.any(String));
    expect(parsed.error.message).toEqual(expect.any(String));
    return parsed.error;
  }

  it('prints every error of kairos users as { error: { code, message } } on stderr and exits non-zero', async () => {
    const key = randomBytes(32).toString('base64');
    stubEnv({ KAIROS_SECRET_KEY: key, KAIROS_API_KEY: 'public-key-0000aaaa', KAIROS_API_SECRET: 'secret-0000' });
    const store = ['--store', `file:${dir}`];
    expect(await jsonError(['users', 'frobnicate', ...store, '--json'], 2)).toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringMatching(/subcommand/) });
    expect(await jsonError(['users', 'list', '--bogus', ...store, '--json'], 2)).toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringMatching(/--bogus/) });
    expect(await jsonError(['users', 'remove', 'nobody', ...store, '--json'], 1)).toMatchObject({ code: 'USER_NOT_FOUND' });
    expect(await jsonError(['users', 'list', '--store', 'mysql://x', '--json'], 2)).toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringMatching(/--store/) });

    expect(await main(['users', 'add', 'alice', '--exchange', 'binance', '--no-verify', ...store, '--json'], capture().io)).toBe(0);
    expect(await jsonError(['users', 'add', 'alice', '--exchange', 'binance', '--no-verify', ...store, '--json'], 1)).toMatchObject({ code: 'USER_EXISTS' });
    vi.stubEnv('KAIROS_SECRET_KEY', randomBytes(32).toString('base64'));
    expect(await jsonError(['users', 'add', 'bob', '--exchange', 'binance', '--no-verify', ...store, '--json'], 2)).toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringMatching(/KAIROS_SECRET_KEY/),
    });
    vi.stubEnv('KAIROS_SECRET_KEY', undefined);
    expect(await jsonError(['users', 'list', ...store, '--json'], 2)).toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringMatching(/KAIROS_SECRET_KEY/) });
  });

  it('covers the entry point too: an unknown command, and an unknown flag of another command', async () => {
    expect(await jsonError(['frobnicate', '--json'], 2)).toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringMatching(/frobnicate/) });
    expect(await jsonError(['strategies', '--bogus', '--json'], 2)).toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('keeps the text form without --json', async () => {
    stubEnv({ KAIROS_SECRET_KEY: randomBytes(32).toString('base64') });
    const c = capture();
    expect(await main(['users', 'remove', 'nobody', '--store', `file:${dir}`], c.io)).toBe(1);
    expect(c.out).toEqual([]);
    expect(c.err).toEqual(["error [USER_NOT_FOUND] no user 'nobody'"]);
    const u = capture();
    expect(await main(['frobnicate'], u.io)).toBe(2);
    expect(u.err[0]).toMatch(/^error: unknown command 'frobnicate'/);
  });
});

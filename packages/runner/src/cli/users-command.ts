import { parseArgs } from 'node:util';
import { ConfigError, type Logger } from '@kairos/core';
import { describeUserStore, openUserStore, resolveUserStore } from '../users/open-user-store';
import { Secret } from '../users/secret';
import { secretBoxFromEnv } from '../users/secret-box';
import { type UserView, UserRegistry } from '../users/user-registry';
import { ccxtVerifier } from '../users/ccxt-verifier';
import type { VerifyCredentials } from '../users/verify-credentials';
import { skipVerification } from '../users/verify-credentials';
import type { CommandIo } from './io';

export const USERS_USAGE = `kairos users add <id> --exchange binance [--deposit 1000] [--preferred-exchange ID]
             [--api-key-env KAIROS_API_KEY] [--secret-env KAIROS_API_SECRET] [--no-verify]
             kairos users list | suspend <id> | activate <id> | remove <id> | rotate-key
             common: [--store file:<dir> | redis://host:port] [--json]   (key: env KAIROS_SECRET_KEY)`;

export interface UsersCommandOptions {
  /** Environment to read keys, credentials and REDIS_URL from; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Base of the default `.kairos/` store; default `process.cwd()`. */
  readonly cwd?: string;
  /** How `add` checks a key pair; default: one `fetchBalance` through `CcxtExchange`. */
  readonly verify?: VerifyCredentials;
  readonly logger?: Logger;
}

const DEFAULT_API_KEY_ENV = 'KAIROS_API_KEY';
const DEFAULT_SECRET_ENV = 'KAIROS_API_SECRET';

const SUBCOMMANDS = ['add', 'list', 'suspend', 'activate', 'remove', 'rotate-key'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

function row(u: UserView): string {
  return [u.id.padEnd(16), u.exchange.padEnd(10), u.status.padEnd(10), u.deposit.toFixed(2).padStart(12), String(u.tradesToday).padStart(6), `  ${u.apiKeyHint}`].join(' ');
}

function parseDeposit(raw: string | undefined): number {
  if (raw === undefined) return 0;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0) throw new ConfigError('--deposit', `expected an amount >= 0, got '${raw}'`);
  return n;
}

const ENV_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/**
 * Reads a credential from the environment variable a flag names. The flag takes a
 * variable name, but an operator may paste the key itself there, so no message shows
 * what was given: not when it is no variable name, and not when a variable of that
 * name is unset (a real key can look like a name). Only the default name, which is
 * no secret, is spelled out.
 */
function readCredential(env: Readonly<Record<string, string | undefined>>, envName: string, flag: string, defaultName: string): Secret {
  if (!ENV_NAME_RE.test(envName)) {
    throw new ConfigError(flag, `expects the name of an environment variable (letters, digits and _), not a value; what was given is not shown`);
  }
  const value = env[envName];
  if (value === undefined || value === '') {
    const which = envName === defaultName ? `the environment variable ${envName}` : `the environment variable named by ${flag} (not shown)`;
    throw new ConfigError(flag, `${which} is not set (choose another with ${flag})`);
  }
  return new Secret(value);
}

/**
 * Manages the operator's users: add (the key pair is checked with one private call to
 * the exchange unless `--no-verify`, then encrypted with
 * `KAIROS_SECRET_KEY`), list, suspend, activate, remove, and rotate-key (re-encrypts
 * everything under the current key; the old one goes in `KAIROS_SECRET_KEY_PREVIOUS`).
 * Credentials come from environment variables so they stay out of shell history.
 * `add` and `rotate-key` refuse a `KAIROS_SECRET_KEY` that is not the registry's (its
 * stored key check value says which key it is under) before writing anything.
 */
export async function usersCommand(argv: string[], io: CommandIo, options: UsersCommandOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      exchange: { type: 'string' },
      deposit: { type: 'string' },
      'preferred-exchange': { type: 'string' },
      'api-key-env': { type: 'string', default: DEFAULT_API_KEY_ENV },
      'secret-env': { type: 'string', default: DEFAULT_SECRET_ENV },
      'no-verify': { type: 'boolean', default: false },
      store: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const [sub, id, ...extra] = positionals;
  if (sub === undefined || !(SUBCOMMANDS as readonly string[]).includes(sub)) {
    throw new ConfigError('users', `expected a subcommand; allowed: ${SUBCOMMANDS.join(', ')}`, { allowed: SUBCOMMANDS });
  }
  const subcommand = sub as Subcommand;
  const needsId = subcommand !== 'list' && subcommand !== 'rotate-key';
  if (needsId && id === undefined) throw new ConfigError('<id>', `kairos users ${subcommand} needs a user id`);
  if (extra.length > 0 || (!needsId && id !== undefined)) {
    // Not echoed: a key pasted on the command line lands here.
    throw new ConfigError(
      'users',
      `unexpected argument after 'users ${subcommand}${needsId ? ' <id>' : ''}' (not shown); credentials go in environment variables (--api-key-env, --secret-env), never on the command line`,
    );
  }

  const verify: VerifyCredentials = values['no-verify'] ? skipVerification : (options.verify ?? ccxtVerifier());

  const where = resolveUserStore({ spec: values.store, env, cwd: options.cwd ?? process.cwd() });
  const box = secretBoxFromEnv(env);
  const store = openUserStore(where);
  const registry = new UserRegistry({ store, box, verify, ...(options.logger ? { logger: options.logger } : {}) });
  const print = (text: string, json: object) => io.out(values.json ? JSON.stringify(json) : text);
  try {
    switch (subcommand) {
      case 'add': {
        if (values.exchange === undefined) throw new ConfigError('--exchange', 'required, e.g. --exchange binance');
        const user = await registry.add({
          id: id as string,
          exchange: values.exchange,
          apiKey: readCredential(env, values['api-key-env'], '--api-key-env', DEFAULT_API_KEY_ENV),
          secret: readCredential(env, values['secret-env'], '--secret-env', DEFAULT_SECRET_ENV),
          deposit: parseDeposit(values.deposit),
          ...(values['preferred-exchange'] ? { preferredExchange: values['preferred-exchange'] } : {}),
        });
        const verified = !values['no-verify'];
        print(`added ${user.id} on ${user.exchange} (key ${user.apiKeyHint}, deposit ${user.deposit}, ${verified ? 'verified' : 'NOT verified'}) in ${describeUserStore(where)}`, {
          user,
          verified,
        });
        return 0;
      }
      case 'list': {
        const users = await registry.list();
        if (values.json) io.out(JSON.stringify({ users }));
        else {
          io.out(`${'id'.padEnd(16)} ${'exchange'.padEnd(10)} ${'status'.padEnd(10)} ${'deposit'.padStart(12)} ${'today'.padStart(6)}   key`);
          for (const u of users) io.out(row(u));
          io.out(`${users.length} user(s) in ${describeUserStore(where)}`);
        }
        return 0;
      }
      case 'suspend':
      case 'activate': {
        const user = subcommand === 'suspend' ? await registry.suspend(id as string) : await registry.activate(id as string);
        print(`${user.id} is now ${user.status}`, { user });
        return 0;
      }
      case 'remove': {
        await registry.remove(id as string);
        print(`removed ${id}`, { removed: id });
        return 0;
      }
      default: {
        // 'rotate-key', the only subcommand left.
        const result = await registry.rotateKeys();
        print(`re-encrypted ${result.rotated} of ${result.total} user(s) with key ${box.currentKeyId}`, { ...result, keyId: box.currentKeyId });
        return 0;
      }
    }
  } finally {
    await store.close?.();
  }
}

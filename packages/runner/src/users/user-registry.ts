import {
  type Clock,
  ConfigError,
  KairosError,
  type Logger,
  NullLogger,
  type UserRecord,
  type UserStatus,
  type UserStore,
} from '@kairos/core';
import { Secret, scrubSecrets } from './secret';
import type { SecretBox } from './secret-box';
import type { VerifyCredentials } from './verify-credentials';

/** A user as shown to people and the API: no credentials, only a hint of the API key. */
export interface UserView {
  readonly id: string;
  readonly exchange: string;
  readonly preferredExchange: string;
  readonly apiKeyHint: string;
  readonly deposit: number;
  readonly assets: Readonly<Record<string, number>>;
  readonly tradesToday: number;
  readonly tradesDay: string;
  readonly status: UserStatus;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface AddUserInput {
  readonly id: string;
  readonly exchange: string;
  readonly apiKey: string | Secret;
  readonly secret: string | Secret;
  readonly deposit?: number;
  readonly preferredExchange?: string;
  readonly assets?: Readonly<Record<string, number>>;
}

export interface UserUpdate {
  readonly deposit?: number;
  readonly assets?: Readonly<Record<string, number>>;
  readonly preferredExchange?: string;
}

export interface UserRegistryOptions {
  readonly store: UserStore;
  readonly box: SecretBox;
  /** Checks a key pair against the exchange when a user is added. */
  readonly verify: VerifyCredentials;
  readonly clock?: Pick<Clock, 'now'>;
  readonly logger?: Logger;
}

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const EXCHANGE_RE = /^[a-z0-9][a-z0-9_]{1,31}$/;

function utcDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

function checkAmount(key: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new ConfigError(key, `expected a finite amount >= 0, got ${value}`);
  return value;
}

function checkExchange(key: string, value: string): string {
  if (!EXCHANGE_RE.test(value)) throw new ConfigError(key, `'${value}' is not an exchange id like binance or kraken`);
  return value;
}

/**
 * The operator's users: who they are, their exchange credentials (encrypted at rest with
 * the secret box), deposit, assets, daily trade counter and status. Plain secrets leave
 * it only through `credentials()`, wrapped in `Secret` so they print as `[redacted]`.
 */
export class UserRegistry {
  private readonly store: UserStore;
  private readonly box: SecretBox;
  private readonly verify: VerifyCredentials;
  private readonly clock: Pick<Clock, 'now'>;
  private readonly logger: Logger;

  constructor(options: UserRegistryOptions) {
    this.store = options.store;
    this.box = options.box;
    this.verify = options.verify;
    this.clock = options.clock ?? { now: () => Date.now() };
    this.logger = options.logger ?? new NullLogger();
  }

  /**
   * Adds a user after the exchange accepted the key pair. Fails with `USER_EXISTS`,
   * `CONFIG_INVALID` (naming the field) or `EXCHANGE_AUTH`; no message carries the key
   * or the secret, even when the exchange echoed them.
   */
  async add(input: AddUserInput): Promise<UserView> {
    if (!ID_RE.test(input.id)) throw new ConfigError('id', `'${input.id}' is not a user id (letters, digits, _ . -, up to 64)`);
    const exchange = checkExchange('exchange', input.exchange);
    const preferredExchange = checkExchange('preferredExchange', input.preferredExchange ?? exchange);
    const apiKey = typeof input.apiKey === 'string' ? new Secret(input.apiKey) : input.apiKey;
    const secret = typeof input.secret === 'string' ? new Secret(input.secret) : input.secret;
    if (apiKey.empty) throw new ConfigError('apiKey', 'is empty');
    if (secret.empty) throw new ConfigError('secret', 'is empty');
    const deposit = checkAmount('deposit', input.deposit ?? 0);
    const assets = this.checkAssets(input.assets ?? {});
    if (await this.store.get(input.id)) throw new KairosError('USER_EXISTS', `user '${input.id}' already exists`);

    const check = await this.runCheck(exchange, apiKey, secret);
    if (!check.ok) {
      throw new KairosError('EXCHANGE_AUTH', `${exchange} refused the credentials of '${input.id}': ${check.reason ?? 'no reason given'}`, {
        details: { userId: input.id, exchange },
      });
    }
    const now = this.clock.now();
    const plainKey = apiKey.reveal();
    const record: UserRecord = {
      id: input.id,
      exchange,
      preferredExchange,
      credentials: {
        apiKey: this.box.encrypt(apiKey, `user:${input.id}:apiKey`),
        secret: this.box.encrypt(secret, `user:${input.id}:secret`),
        apiKeyHint: plainKey.length >= 12 ? `…${plainKey.slice(-4)}` : '…',
      },
      deposit,
      assets,
      dailyTrades: { day: utcDay(now), count: 0 },
      status: 'active',
      createdAt: now,
      updatedAt: now,
    };
    // The early `get` gives a clear error before the exchange call; `create` closes the race.
    let created = true;
    if (this.store.create) created = await this.store.create(record);
    else await this.store.put(record);
    if (!created) throw new KairosError('USER_EXISTS', `user '${input.id}' already exists`);
    this.logger.info({ userId: record.id, exchange, apiKeyHint: record.credentials.apiKeyHint }, 'user added');
    return this.view(record);
  }

  async get(id: string): Promise<UserView> {
    return this.view(await this.require(id));
  }

  async list(): Promise<UserView[]> {
    return (await this.store.list()).map((u) => this.view(u));
  }

  async suspend(id: string): Promise<UserView> {
    return this.setStatus(id, 'suspended');
  }

  async activate(id: string): Promise<UserView> {
    return this.setStatus(id, 'active');
  }

  /** Removes the user and their encrypted credentials. */
  async remove(id: string): Promise<void> {
    if (!(await this.store.remove(id))) throw new KairosError('USER_NOT_FOUND', `no user '${id}'`);
    this.logger.info({ userId: id }, 'user removed');
  }

  async update(id: string, patch: UserUpdate): Promise<UserView> {
    const user = await this.require(id);
    const next: UserRecord = {
      ...user,
      ...(patch.deposit !== undefined ? { deposit: checkAmount('deposit', patch.deposit) } : {}),
      ...(patch.assets !== undefined ? { assets: this.checkAssets(patch.assets) } : {}),
      ...(patch.preferredExchange !== undefined ? { preferredExchange: checkExchange('preferredExchange', patch.preferredExchange) } : {}),
      updatedAt: this.clock.now(),
    };
    await this.store.put(next);
    return this.view(next);
  }

  /** Counts one trade for the user's UTC day (the counter restarts each day); returns today's count. */
  async recordTrade(id: string, time = this.clock.now()): Promise<number> {
    const user = await this.require(id);
    const day = utcDay(time);
    const count = user.dailyTrades.day === day ? user.dailyTrades.count + 1 : 1;
    await this.store.put({ ...user, dailyTrades: { day, count }, updatedAt: this.clock.now() });
    return count;
  }

  /** Trades counted for the user on the UTC day of `time`. */
  async tradesOn(id: string, time = this.clock.now()): Promise<number> {
    const user = await this.require(id);
    return user.dailyTrades.day === utcDay(time) ? user.dailyTrades.count : 0;
  }

  /** The plain key pair, for building the user's exchange client; wrapped so it cannot be logged by accident. */
  async credentials(id: string): Promise<{ apiKey: Secret; secret: Secret }> {
    const user = await this.require(id);
    return {
      apiKey: this.box.decrypt(user.credentials.apiKey, `user:${id}:apiKey`),
      secret: this.box.decrypt(user.credentials.secret, `user:${id}:secret`),
    };
  }

  /**
   * Re-encrypts every credential made with an older key under the current key. Run it
   * with the new key in `KAIROS_SECRET_KEY` and the old one in
   * `KAIROS_SECRET_KEY_PREVIOUS`; afterwards the old key can be dropped.
   */
  async rotateKeys(): Promise<{ rotated: number; total: number }> {
    const users = await this.store.list();
    let rotated = 0;
    for (const u of users) {
      const { apiKey, secret } = u.credentials;
      if (!this.box.needsRotation(apiKey) && !this.box.needsRotation(secret)) continue;
      const plain = await this.credentials(u.id);
      await this.store.put({
        ...u,
        credentials: {
          ...u.credentials,
          apiKey: this.box.encrypt(plain.apiKey, `user:${u.id}:apiKey`),
          secret: this.box.encrypt(plain.secret, `user:${u.id}:secret`),
        },
        updatedAt: this.clock.now(),
      });
      rotated += 1;
    }
    this.logger.info({ rotated, total: users.length, keyId: this.box.currentKeyId }, 'user secrets re-encrypted');
    return { rotated, total: users.length };
  }

  private async runCheck(exchange: string, apiKey: Secret, secret: Secret): Promise<{ ok: boolean; reason?: string }> {
    try {
      const check = await this.verify(exchange, apiKey, secret);
      return check.reason === undefined ? { ok: check.ok } : { ok: check.ok, reason: scrubSecrets(check.reason, [apiKey, secret]) };
    } catch (err) {
      // An exchange library may echo the request in its message: scrub it and drop the cause.
      const message = scrubSecrets(err instanceof Error ? err.message : String(err), [apiKey, secret]);
      const retryable = err instanceof KairosError && err.retryable;
      const code = err instanceof KairosError ? err.code : 'EXCHANGE_ERROR';
      throw new KairosError(code, `could not check the credentials on ${exchange}: ${message}`, { retryable });
    }
  }

  private async setStatus(id: string, status: UserStatus): Promise<UserView> {
    const user = await this.require(id);
    const next = { ...user, status, updatedAt: this.clock.now() };
    await this.store.put(next);
    this.logger.info({ userId: id, status }, 'user status changed');
    return this.view(next);
  }

  private async require(id: string): Promise<UserRecord> {
    const user = await this.store.get(id);
    if (!user) throw new KairosError('USER_NOT_FOUND', `no user '${id}'`);
    return user;
  }

  private checkAssets(assets: Readonly<Record<string, number>>): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [code, amount] of Object.entries(assets)) {
      if (!/^[A-Z0-9]{1,20}$/.test(code)) throw new ConfigError('assets', `'${code}' is not a currency code`);
      out[code] = checkAmount(`assets.${code}`, amount);
    }
    return out;
  }

  private view(u: UserRecord): UserView {
    const today = utcDay(this.clock.now());
    return {
      id: u.id,
      exchange: u.exchange,
      preferredExchange: u.preferredExchange,
      apiKeyHint: u.credentials.apiKeyHint,
      deposit: u.deposit,
      assets: u.assets,
      tradesToday: u.dailyTrades.day === today ? u.dailyTrades.count : 0,
      tradesDay: today,
      status: u.status,
      createdAt: u.createdAt,
      updatedAt: u.updatedAt,
    };
  }
}

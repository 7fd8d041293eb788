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
import { hasKeyCheck } from './key-check-store';
import { Secret, scrubSecrets } from './secret';
import { type KeyCheckMatch, SECRET_KEY_ENV, SecretBox } from './secret-box';
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

/**
 * `KAIROS_SECRET_KEY` is well formed but is not the key the registry's credentials are
 * under. A `ConfigError` (code `CONFIG_INVALID`, key `KAIROS_SECRET_KEY`) with
 * `details.reason` `SECRET_KEY_MISMATCH`; thrown before anything is written. The
 * details and message carry key ids (public fingerprints), never a key.
 */
export class SecretKeyMismatchError extends ConfigError {
  constructor(message: string, details: { readonly givenKeyId: string; readonly registryKeyId?: string; readonly userId?: string }) {
    super(SECRET_KEY_ENV, `${message}; nothing was written`, { reason: 'SECRET_KEY_MISMATCH', ...details });
  }
}

const ROTATE_HINT = 'to change keys, put the new key in KAIROS_SECRET_KEY and the old one in KAIROS_SECRET_KEY_PREVIOUS, then run `kairos users rotate-key`';

function utcDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

function keyChangedDuring(what: string): KairosError {
  return new KairosError('STORE_ERROR', `the registry's key changed during ${what} (another rotate-key or add ran); nothing was written, run it again`, { retryable: true });
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
    // Before the exchange call and any write: a wrong key must not leave credentials under two keys.
    let expectedCheck = await this.requireKeyForAdd();

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
    if (hasKeyCheck(this.store)) {
      for (let attempt = 1; ; attempt += 1) {
        const result = await this.store.writeKeyChecked({ expected: expectedCheck, next: this.box.keyCheck(), create: record });
        created = result !== 'exists';
        if (result !== 'key-changed') break;
        // Another writer set the check value meanwhile: usually a concurrent first add with
        // the same key. Check the key again (a rotation away from it throws) and retry.
        if (attempt === 3) throw keyChangedDuring('add');
        expectedCheck = await this.requireKeyForAdd();
      }
    } else if (this.store.create) created = await this.store.create(record);
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
    return this.decryptCredentials(await this.require(id));
  }

  private decryptCredentials(user: UserRecord): { apiKey: Secret; secret: Secret } {
    return {
      apiKey: this.box.decrypt(user.credentials.apiKey, `user:${user.id}:apiKey`),
      secret: this.box.decrypt(user.credentials.secret, `user:${user.id}:secret`),
    };
  }

  /**
   * Re-encrypts every credential made with an older key under the current key. Run it
   * with the new key in `KAIROS_SECRET_KEY` and the old one in
   * `KAIROS_SECRET_KEY_PREVIOUS`; afterwards the old key can be dropped. All or
   * nothing: every credential is decrypted first (a failure, `SECRET_UNREADABLE`, names
   * the user), then the records and the key check value are written in one atomic step.
   * Fails with `SecretKeyMismatchError` when neither key is the registry's.
   */
  async rotateKeys(): Promise<{ rotated: number; total: number }> {
    const stored = hasKeyCheck(this.store) ? await this.store.readKeyCheck() : undefined;
    if (stored !== undefined && this.box.matchKeyCheck(stored) === 'none') {
      throw new SecretKeyMismatchError(
        `neither this key (${this.box.currentKeyId}) nor one in KAIROS_SECRET_KEY_PREVIOUS is the key the registry is under (${SecretBox.keyIdOf(stored)})`,
        { givenKeyId: this.box.currentKeyId, ...this.registryKeyId(stored) },
      );
    }
    const users = await this.store.list();
    const next: UserRecord[] = [];
    for (const u of users) {
      const { apiKey, secret } = u.credentials;
      // Decrypting proves the record readable; without a stored check value that is what vouches for the key.
      const plain = this.decryptCredentials(u);
      if (!this.box.needsRotation(apiKey) && !this.box.needsRotation(secret)) continue;
      next.push({
        ...u,
        credentials: {
          ...u.credentials,
          apiKey: this.box.encrypt(plain.apiKey, `user:${u.id}:apiKey`),
          secret: this.box.encrypt(plain.secret, `user:${u.id}:secret`),
        },
        updatedAt: this.clock.now(),
      });
    }
    const check = this.box.keyCheck();
    if (hasKeyCheck(this.store)) {
      if (next.length > 0 || stored !== check) {
        const result = await this.store.writeKeyChecked({ expected: stored, next: check, put: next });
        if (result === 'key-changed') throw keyChangedDuring('rotate-key');
      }
    } else {
      for (const u of next) await this.store.put(u);
    }
    this.logger.info({ rotated: next.length, total: users.length, keyId: this.box.currentKeyId }, 'user secrets re-encrypted');
    return { rotated: next.length, total: users.length };
  }

  /**
   * Makes sure new credentials may be written under the current key, and returns the
   * stored key check value to guard the write with. With a check value, it must be the
   * current key's. Without one (a registry made before there was one, or a store that
   * keeps none), every record must decrypt with the current key; the write then adopts
   * the current key's check value.
   */
  private async requireKeyForAdd(): Promise<string | undefined> {
    const stored = hasKeyCheck(this.store) ? await this.store.readKeyCheck() : undefined;
    if (stored !== undefined) {
      const match = this.box.matchKeyCheck(stored);
      if (match !== 'current') throw this.addMismatch(match, SecretBox.keyIdOf(stored));
      return stored;
    }
    for (const u of await this.store.list()) {
      for (const [field, ciphertext] of [['apiKey', u.credentials.apiKey] as const, ['secret', u.credentials.secret] as const]) {
        let readable = true;
        try {
          this.box.decrypt(ciphertext, `user:${u.id}:${field}`);
        } catch {
          readable = false;
        }
        if (readable && !this.box.needsRotation(ciphertext)) continue;
        throw this.addMismatch(readable ? 'previous' : 'none', SecretBox.keyIdOf(ciphertext), u.id);
      }
    }
    return undefined;
  }

  private addMismatch(match: KeyCheckMatch, registryKeyId: string | undefined, userId?: string): SecretKeyMismatchError {
    const whose = userId === undefined ? 'the registry is' : `the credentials of '${userId}' are`;
    const details = { givenKeyId: this.box.currentKeyId, ...(registryKeyId === undefined ? {} : { registryKeyId }), ...(userId === undefined ? {} : { userId }) };
    if (match === 'previous') {
      return new SecretKeyMismatchError(
        `is a new key (${this.box.currentKeyId}) but ${whose} still under ${registryKeyId ?? 'an older key'}, from KAIROS_SECRET_KEY_PREVIOUS: run \`kairos users rotate-key\` first`,
        details,
      );
    }
    return new SecretKeyMismatchError(`is not the key ${whose} encrypted with (this key ${this.box.currentKeyId}, registry key ${registryKeyId ?? 'unknown'}); ${ROTATE_HINT}`, details);
  }

  private registryKeyId(stored: string): { registryKeyId?: string } {
    const id = SecretBox.keyIdOf(stored);
    return id === undefined ? {} : { registryKeyId: id };
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

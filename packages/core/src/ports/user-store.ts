/** Whether a user's bot may trade. */
export type UserStatus = 'active' | 'suspended';

/**
 * A user's exchange credentials as stored: each value is ciphertext produced by the
 * runner's secret box (AES-256-GCM), never the plain key or secret.
 */
export interface EncryptedCredentials {
  readonly apiKey: string;
  readonly secret: string;
  /** The last characters of the API key, so people can tell keys apart. Never of the secret. */
  readonly apiKeyHint: string;
}

/** Trades opened on one UTC day, for daily limits. */
export interface DailyTradeCounter {
  /** UTC day, `YYYY-MM-DD`. */
  readonly day: string;
  readonly count: number;
}

/** One user of the operator's bot, as the registry stores it. */
export interface UserRecord {
  readonly id: string;
  /** Exchange the credentials belong to (a ccxt id such as `binance`). */
  readonly exchange: string;
  /** Exchange the user prefers to trade on when several are configured. */
  readonly preferredExchange: string;
  readonly credentials: EncryptedCredentials;
  /** Amount deposited, in quote units; it picks the commission tier. */
  readonly deposit: number;
  /** Asset balances last seen, by currency code. */
  readonly assets: Readonly<Record<string, number>>;
  readonly dailyTrades: DailyTradeCounter;
  readonly status: UserStatus;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/**
 * Durable registry of users. Writes replace the whole record of one user; a store keeps
 * what it is given and never sees plain secrets.
 */
export interface UserStore {
  get(id: string): Promise<UserRecord | undefined>;
  /** All users, ordered by id. */
  list(): Promise<UserRecord[]>;
  /** Inserts or replaces the user with this id. */
  put(user: UserRecord): Promise<void>;
  /**
   * Inserts only when no user has this id, atomically; returns false when one did. Stores
   * without it are used through `get` then `put`, which two writers can race.
   */
  create?(user: UserRecord): Promise<boolean>;
  /** Returns false when there was no such user. */
  remove(id: string): Promise<boolean>;
  close?(): Promise<void>;
}

import { randomBytes } from 'node:crypto';
import { ORDER_STATUS_RANK, compareFills, compareOrders, compareTrades, isTerminalStatus } from '@kairos/core';
import type { FeePaid, Fill, Logger, OrderQuery, OrderStatus, StoredOrder, Trade, TradeQuery, TradeStore } from '@kairos/core';
import { Redis } from 'ioredis';
import { StoreError } from '../store-error';
import { GET_ORDER, SAVE_FILL, SAVE_ORDER, SAVE_TRADE } from './lua-script';
import { RedisKeys } from './redis-keys';

/** How `RedisTradeStore.connect` is set up. */
export interface RedisTradeStoreOptions {
  /** `redis://[user:pass@]host:port[/db]`. */
  readonly url: string;
  /** Names this deployment; every key starts with `<namespace>:<deployment>:`. */
  readonly deployment: string;
  /** Default `kairos`. */
  readonly namespace?: string;
  /** Give up connecting at start after this long. Default 5000 ms. */
  readonly connectTimeoutMs?: number;
  /**
   * Reconnect attempts a command waits through before failing with a retryable
   * `StoreError` (a `RetryingTradeStore` above then retries it). Default 2.
   */
  readonly maxRetriesPerRequest?: number;
  /**
   * Whether commands wait in the client while the connection is down and are re-sent when
   * it comes back (ioredis' offline queue and re-send). Default true. A caller that checks
   * the server is still the same one before writing again (`JournalingTradeStore`'s epoch
   * marker) sets false: a queued write would otherwise reach a Redis restarted empty before
   * the check could stop it. Commands then fail at once, retryably, while disconnected.
   */
  readonly queueWhileDisconnected?: boolean;
  readonly logger?: Logger;
}

const RANK = ORDER_STATUS_RANK;

interface Owner {
  userId: string;
  strategyId: string;
  clientOrderId: string;
  createdAt: number;
}
type Ident = Pick<StoredOrder, 'id' | 'symbol' | 'side' | 'type' | 'purpose' | 'amount' | 'price'>;
interface Exec {
  filled: number;
  average: number;
  fees: readonly FeePaid[];
}

/**
 * A `TradeStore` on Redis (ioredis). Keys are namespaced by deployment and user (see
 * `RedisKeys`); every write is idempotent by order, fill or trade id, so a command that
 * ioredis re-sends after a reconnect does no harm; changes that touch several keys run
 * as one Lua script; concurrent calls are pipelined automatically; queries use
 * secondary indexes (per-user time-sorted sets, an open-order set, per-symbol sets).
 * For durability run Redis with AOF (`appendfsync everysec` or `always`) and
 * `maxmemory-policy noeviction` (see docs/stores.md).
 */
export class RedisTradeStore implements TradeStore {
  private readonly keys: RedisKeys;
  private readonly tokenPrefix = randomBytes(6).toString('hex');
  private tokenSeq = 0;

  private constructor(
    /** The ioredis client, for health checks and tests. */
    readonly client: Redis,
    private readonly url: string,
    options: RedisTradeStoreOptions,
  ) {
    this.keys = new RedisKeys(options.namespace ?? 'kairos', options.deployment);
  }

  /** Key prefix of this deployment, e.g. `kairos:prod:`. */
  get prefix(): string {
    return this.keys.prefix;
  }

  /**
   * Connects and checks the server answers. Fails with a non-retryable `StoreError`
   * naming the URL (password hidden) when Redis cannot be reached.
   */
  static async connect(options: RedisTradeStoreOptions): Promise<RedisTradeStore> {
    const shown = redactUrl(options.url);
    const client = new Redis(options.url, {
      lazyConnect: true,
      enableAutoPipelining: true,
      connectTimeout: options.connectTimeoutMs ?? 5_000,
      maxRetriesPerRequest: options.maxRetriesPerRequest ?? 2,
      retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 10), 2_000),
      ...(options.queueWhileDisconnected === false ? { enableOfflineQueue: false, autoResendUnfulfilledCommands: false } : {}),
    });
    let lastError = '';
    client.on('error', (err: Error) => {
      // Without a listener ioredis would crash the process on a lost connection.
      if (err.message !== lastError) options.logger?.warn({ url: shown, error: err.message }, 'redis connection error');
      lastError = err.message;
    });
    try {
      await client.connect();
      await client.ping();
    } catch (err) {
      client.disconnect();
      throw new StoreError(`cannot reach Redis at ${shown}: ${err instanceof Error ? err.message : String(err)}`, { cause: err, details: { url: shown } });
    }
    client.on('ready', () => {
      lastError = '';
    });
    return new RedisTradeStore(client, shown, options);
  }

  async saveOrder(order: StoredOrder): Promise<void> {
    const k = this.keys;
    const u = order.userId;
    const filled = Math.min(Math.max(0, order.filled), order.amount);
    const owner: Owner = { userId: u, strategyId: order.strategyId, clientOrderId: order.clientOrderId, createdAt: order.createdAt };
    const ident: Ident = { id: order.id, symbol: order.symbol, side: order.side, type: order.type, purpose: order.purpose, amount: order.amount, ...(order.price !== undefined ? { price: order.price } : {}) };
    const exec: Exec = { filled, average: order.average, fees: order.fees };
    await this.call('saveOrder', () =>
      SAVE_ORDER.run(
        this.client,
        [k.order(u, order.clientOrderId), k.orders(u), k.openOrders(u), k.symbolOrders(u, order.symbol), k.users(), k.orderOwners()],
        [u, order.clientOrderId, JSON.stringify(owner), JSON.stringify(ident), order.id, order.status, RANK[order.status], order.rejectReason ?? '', JSON.stringify(exec), filled, order.updatedAt, order.createdAt, isTerminalStatus(order.status) ? 1 : 0],
      ),
    );
  }

  async getOrder(clientOrderId: string): Promise<StoredOrder | undefined> {
    const flat = (await this.call('getOrder', () => GET_ORDER.run(this.client, [this.keys.orderOwners()], [clientOrderId]))) as string[] | null;
    if (!flat) return undefined;
    const h: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) h[flat[i] as string] = flat[i + 1] as string;
    return decodeOrder(h);
  }

  async listOrders(query: OrderQuery = {}): Promise<StoredOrder[]> {
    if (query.status !== undefined && query.status.length === 0) return [];
    const users = query.userId !== undefined ? [query.userId] : await this.users();
    const onlyOpen = query.status !== undefined && query.status.every((s) => !isTerminalStatus(s));
    const k = this.keys;
    const perUser = await Promise.all(
      users.map(async (u) => {
        const cids = onlyOpen
          ? await this.call('listOrders', () => this.client.smembers(k.openOrders(u)))
          : await this.call('listOrders', () => this.client.zrange(query.symbol !== undefined ? k.symbolOrders(u, query.symbol) : k.orders(u), 0, -1));
        return Promise.all(cids.map((cid) => this.call('listOrders', () => this.client.hgetall(k.order(u, cid)))));
      }),
    );
    const out: StoredOrder[] = [];
    for (const hashes of perUser) {
      for (const h of hashes) {
        const o = decodeOrder(h);
        if (o && (query.symbol === undefined || o.symbol === query.symbol) && (query.status === undefined || query.status.includes(o.status))) out.push(o);
      }
    }
    return out.sort(compareOrders);
  }

  async saveFill(userId: string, fill: Fill): Promise<boolean> {
    const k = this.keys;
    this.tokenSeq += 1;
    const token = `${this.tokenPrefix}:${this.tokenSeq}`;
    const r = await this.call('saveFill', () =>
      SAVE_FILL.run(this.client, [k.fills(userId), k.fillTokens(userId), k.orderFills(userId, fill.clientOrderId), k.users()], [fill.id, JSON.stringify(fill), token, userId]),
    );
    return r === 1;
  }

  async listFills(userId: string, clientOrderId?: string): Promise<Fill[]> {
    const k = this.keys;
    let raw: (string | null)[];
    if (clientOrderId === undefined) {
      raw = await this.call('listFills', () => this.client.hvals(k.fills(userId)));
    } else {
      const ids = await this.call('listFills', () => this.client.smembers(k.orderFills(userId, clientOrderId)));
      raw = ids.length === 0 ? [] : await this.call('listFills', () => this.client.hmget(k.fills(userId), ...ids));
    }
    return raw.filter((s): s is string => s !== null).map((s) => JSON.parse(s) as Fill).sort(compareFills);
  }

  async saveTrade(trade: Trade): Promise<void> {
    const k = this.keys;
    await this.call('saveTrade', () => SAVE_TRADE.run(this.client, [k.trades(trade.userId), k.tradesByExit(trade.userId), k.users()], [trade.id, JSON.stringify(trade), trade.exitTime, trade.userId]));
  }

  async listTrades(query: TradeQuery = {}): Promise<Trade[]> {
    const users = query.userId !== undefined ? [query.userId] : await this.users();
    const k = this.keys;
    const lo = query.from === undefined ? '-inf' : String(query.from);
    const hi = query.to === undefined ? '+inf' : String(query.to);
    const perUser = await Promise.all(
      users.map(async (u) => {
        const ids = await this.call('listTrades', () => this.client.zrangebyscore(k.tradesByExit(u), lo, hi));
        return ids.length === 0 ? [] : this.call('listTrades', () => this.client.hmget(k.trades(u), ...ids));
      }),
    );
    const out: Trade[] = [];
    for (const raw of perUser) {
      for (const s of raw) {
        if (s === null) continue;
        const t = JSON.parse(s) as Trade;
        if ((query.symbol === undefined || t.symbol === query.symbol) && (query.strategyId === undefined || t.strategyId === query.strategyId)) out.push(t);
      }
    }
    return out.sort(compareTrades);
  }

  async getValue(key: string): Promise<string | undefined> {
    const v = await this.call('getValue', () => this.client.get(this.keys.value(key)));
    return v ?? undefined;
  }

  async setValue(key: string, value: string, ttlMs?: number): Promise<void> {
    const k = this.keys.value(key);
    // A plain SET clears any earlier expiry, matching the port's "omitted means it stays".
    await this.call('setValue', () => (ttlMs === undefined ? this.client.set(k, value) : this.client.set(k, value, 'PX', Math.max(1, Math.ceil(ttlMs)))));
  }

  async deleteValue(key: string): Promise<void> {
    await this.call('deleteValue', () => this.client.del(this.keys.value(key)));
  }

  /** Deletes every key of this deployment (tests, resets). */
  async clear(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.client.scan(cursor, 'MATCH', `${escapeGlob(this.keys.prefix)}*`, 'COUNT', 1000);
      if (keys.length > 0) await this.client.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }

  private users(): Promise<string[]> {
    return this.call('users', () => this.client.smembers(this.keys.users()));
  }

  /** Runs a command, turning client errors into `StoreError`s (connection trouble is retryable). */
  private async call<T>(op: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      const reply = e.name === 'ReplyError';
      throw new StoreError(`redis ${op} failed (${this.url}): ${e.message}`, { retryable: !reply, cause: err });
    }
  }
}

function decodeOrder(h: Record<string, string>): StoredOrder | undefined {
  if (h.owner === undefined || h.ident === undefined || h.exec === undefined) return undefined;
  const owner = JSON.parse(h.owner) as Owner;
  const ident = JSON.parse(h.ident) as Ident;
  const exec = JSON.parse(h.exec) as Exec;
  return {
    ...ident,
    id: h.id ?? ident.id,
    clientOrderId: owner.clientOrderId,
    userId: owner.userId,
    strategyId: owner.strategyId,
    status: h.status as OrderStatus,
    filled: Math.min(exec.filled, ident.amount),
    average: exec.average,
    fees: exec.fees,
    createdAt: owner.createdAt,
    updatedAt: Number(h.updatedAt),
    ...(h.reason ? { rejectReason: h.reason } : {}),
  };
}

/** The URL with any password replaced, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}

import { createHash } from 'node:crypto';
import {
  type Balances,
  type Candle,
  type ExchangeAdapter,
  type ExchangeCapabilities,
  type FetchCandlesOptions,
  type Logger,
  type Market,
  type Order,
  type OrderBook,
  type OrderIntent,
  type OrderPurpose,
  type Ticker,
  type Timeframe,
  KairosError,
  NullLogger,
  OrderRejectedError,
  isTerminalStatus,
  timeframeMs,
} from '@kairos/core';
import { isDefiniteRejection, isDuplicateClientId, outcomeUnknown } from '../errors/map-exchange-error';
import { createRedactor } from '../errors/redactor';
import { CircuitBreaker } from '../rate/circuit-breaker';
import { MemoryRateLimitStore, type RateLimitStore } from '../rate/rate-limit-store';
import { SystemTimeSource, type TimeSource } from '../rate/time-source';
import { WeightedRateLimiter } from '../rate/weighted-rate-limiter';
import { CallPipeline } from './call-pipeline';
import { pageCandles } from './candle-pager';
import { configureClient, createCcxtClient } from './ccxt-client';
import { type CcxtExchangeConfig, type ResolvedCcxtExchangeConfig, parseCcxtExchangeConfig } from './ccxt-exchange-config';
import type { CcxtLike, CcxtOrder } from './ccxt-like';
import { lookupByClientOrderId } from './client-order-lookup';
import { badResponse, toBalances, toCandle, toMarket, toOrder, toOrderBook, toTicker } from './normalize';
import { validateIntent } from './validate-intent';
import { type VenueProfile, venueProfile } from './venue-profile';

/** Collaborators of a {@link CcxtExchange}; all optional. */
export interface CcxtExchangeDeps {
  /** A ready ccxt instance (tests, custom builds); otherwise one is built from the config. */
  readonly client?: CcxtLike;
  readonly time?: TimeSource;
  readonly logger?: Logger;
  /** The shared budget; share one per exchange and API key (or IP) on the box. */
  readonly limiter?: WeightedRateLimiter;
  /** Store for a default limiter keyed by exchange and a hash of the API key. */
  readonly rateLimitStore?: RateLimitStore;
  /** Shared per exchange on the box, so one user's failures pause everyone's entries. */
  readonly breaker?: CircuitBreaker;
  /** Overrides of the venue profile (capabilities, costs, lookups). */
  readonly profile?: Partial<VenueProfile>;
  /** Random source for backoff jitter. */
  readonly random?: () => number;
}

/** Value of a balance in one quote currency. */
export interface BalanceValue {
  readonly quote: string;
  readonly total: number;
  readonly values: Readonly<Record<string, number>>;
  /** Currencies held that have no `<ccy>/<quote>` market to price them. */
  readonly unpriced: readonly string[];
}

interface Known {
  order: Order;
  readonly sentAt: number;
}

const MAX_REMEMBERED = 20_000;

/**
 * `ExchangeAdapter` for any ccxt exchange. Every call goes through one weighted rate
 * budget, retries safe calls with jittered exponential backoff (honouring Retry-After),
 * maps ccxt errors to typed `KairosError`s, and never re-sends an order blindly: when a
 * create fails ambiguously the order is looked up by its client order id first.
 */
export class CcxtExchange implements ExchangeAdapter {
  readonly id: string;
  readonly capabilities: ExchangeCapabilities;
  readonly profile: VenueProfile;
  private readonly config: ResolvedCcxtExchangeConfig;
  private readonly time: TimeSource;
  private readonly log: Logger;
  private readonly limiter: WeightedRateLimiter;
  private readonly breaker: CircuitBreaker;
  private readonly pipeline: CallPipeline;
  private clientPromise: Promise<CcxtLike> | undefined;
  private markets: Record<string, Market> | undefined;
  private readonly known = new Map<string, Known>();
  private readonly idByClientId = new Map<string, string>();
  private readonly purposes = new Map<string, OrderPurpose>();
  private readonly creating = new Map<string, Promise<Order>>();

  constructor(config: CcxtExchangeConfig, private readonly deps: CcxtExchangeDeps = {}) {
    this.config = parseCcxtExchangeConfig(config);
    this.id = this.config.exchangeId;
    const base = venueProfile(this.id);
    this.profile = { ...base, ...deps.profile, capabilities: { ...base.capabilities, ...deps.profile?.capabilities } };
    this.capabilities = this.profile.capabilities;
    this.time = deps.time ?? new SystemTimeSource();
    this.log = deps.logger ?? new NullLogger();
    const creds = this.config.credentials;
    const redact = createRedactor([creds?.apiKey, creds?.secret, creds?.password]);
    this.breaker = deps.breaker ?? new CircuitBreaker(this.time);
    const keyHash = creds ? createHash('sha256').update(creds.apiKey).digest('hex').slice(0, 12) : 'public';
    const budget = this.config.rateLimit ?? this.profile.rateLimit;
    this.limiter =
      deps.limiter ?? new WeightedRateLimiter({ key: `${this.id}:${keyHash}`, limit: budget.limit, windowMs: budget.windowMs }, deps.rateLimitStore ?? new MemoryRateLimitStore(), this.time);
    this.pipeline = new CallPipeline({
      exchange: this.id,
      client: () => this.client(redact),
      limiter: this.limiter,
      breaker: this.breaker,
      time: this.time,
      log: this.log,
      redact,
      random: deps.random ?? Math.random,
      retry: this.config.retry,
      costs: this.profile.costs ?? {},
    });
  }

  /** Calls doing I/O right now (not waiting on the limiter or a backoff). */
  get activeRequests(): number {
    return this.pipeline.active;
  }

  /** The circuit breaker guarding entries on this exchange. */
  get circuit(): CircuitBreaker {
    return this.breaker;
  }

  /** Keeps the credentials out of `JSON.stringify(adapter)`. */
  toJSON(): { id: string } {
    return { id: this.id };
  }

  async loadMarkets(): Promise<Readonly<Record<string, Market>>> {
    const out = await this.pipeline.call('loadMarkets', async (c) => {
      const raw = await c.loadMarkets(true);
      if (typeof raw !== 'object' || raw === null) throw badResponse(this.id, 'markets');
      const markets: Record<string, Market> = {};
      for (const m of Object.values(raw)) if (m && m.spot !== false && typeof m.symbol === 'string' && m.precision) markets[m.symbol] = toMarket(m);
      return markets;
    });
    this.markets = out;
    return { ...out };
  }

  async fetchBalance(): Promise<Balances> {
    return this.pipeline.call('fetchBalance', async (c) => {
      const raw = await c.fetchBalance();
      if (typeof raw !== 'object' || raw === null) throw badResponse(this.id, 'balance');
      return toBalances(raw);
    });
  }

  /** The balance valued in `quote` (default USDT) at last prices. */
  async fetchBalanceValue(quote = 'USDT'): Promise<BalanceValue> {
    const [balances, markets] = await Promise.all([this.fetchBalance(), this.ensureMarkets()]);
    const symbols = Object.keys(balances).filter((c) => c !== quote && markets[`${c}/${quote}`]).map((c) => `${c}/${quote}`);
    const tickers = symbols.length === 0 ? {} : await this.pipeline.call('fetchTickers', (c) => c.fetchTickers(symbols));
    const values: Record<string, number> = {};
    const unpriced: string[] = [];
    let total = 0;
    for (const b of Object.values(balances)) {
      const t = b.currency === quote ? undefined : tickers[`${b.currency}/${quote}`];
      const price = b.currency === quote ? 1 : t ? (t.last ?? t.close ?? undefined) : undefined;
      if (typeof price !== 'number' || !Number.isFinite(price)) {
        unpriced.push(b.currency);
        continue;
      }
      values[b.currency] = b.total * price;
      total += b.total * price;
    }
    return { quote, total, values, unpriced };
  }

  async fetchTicker(symbol: string): Promise<Ticker> {
    await this.market(symbol);
    return this.pipeline.call('fetchTicker', async (c) => toTicker(this.id, symbol, (await c.fetchTicker(symbol)) ?? {}, this.time.now()));
  }

  /**
   * Closed candles from `since` (inclusive), paging forward `candleLimit` at a time, or the
   * latest `limit` when `since` is absent. The candle still forming is never returned.
   */
  async fetchCandles(symbol: string, timeframe: Timeframe, options: FetchCandlesOptions = {}): Promise<Candle[]> {
    await this.market(symbol);
    const fetchPage = (from: number, n: number, until: number): Promise<Candle[]> =>
      this.pipeline.call('fetchCandles', async (c) => {
        const list = await c.fetchOHLCV(symbol, timeframe, from, n, { until });
        if (!Array.isArray(list)) throw badResponse(this.id, 'candles');
        return list.map((r) => toCandle(this.id, r));
      });
    return pageCandles(fetchPage, { timeframeMs: timeframeMs(timeframe), now: this.time.now(), pageLimit: this.capabilities.candleLimit, ...options });
  }

  async fetchOrderBook(symbol: string, depth?: number): Promise<OrderBook> {
    await this.market(symbol);
    return this.pipeline.call('fetchOrderBook', async (c) => toOrderBook(this.id, symbol, (await c.fetchOrderBook(symbol, depth)) ?? { bids: [], asks: [] }, this.time.now()));
  }

  async createOrder(intent: OrderIntent): Promise<Order> {
    const market = await this.market(intent.symbol);
    const { amount, price } = validateIntent(intent, market, this.profile.maxClientOrderIdLength);
    const cid = intent.clientOrderId;
    const knownId = this.idByClientId.get(cid);
    if (knownId !== undefined) {
      // Idempotent: the same client order id never makes a second order.
      return (await this.fetchOrderByClientId(intent.symbol, cid)) ?? (this.known.get(knownId) as Known).order;
    }
    const running = this.creating.get(cid);
    if (running) return running;
    if (intent.purpose === 'entry') {
      if (this.breaker.state === 'half-open' && this.profile.statusEndpoint) await this.checkStatus().catch(() => undefined);
      this.breaker.assertEntriesAllowed(this.id);
    }
    this.remember(this.purposes, cid, intent.purpose);
    const p = this.submit(intent, amount, price).finally(() => this.creating.delete(cid));
    this.creating.set(cid, p);
    return p;
  }

  async cancelOrder(symbol: string, orderId: string): Promise<Order> {
    await this.market(symbol);
    try {
      const raw = await this.pipeline.call('cancelOrder', (c) => c.cancelOrder(orderId, symbol));
      const prev = this.known.get(orderId)?.order;
      const order = this.normalize(raw, symbol, prev ? { ...prev, status: 'canceled', updatedAt: this.time.now() } : undefined);
      if (!prev && order.amount === 0) return await this.fetchOrder(symbol, orderId);
      return this.update(order);
    } catch (e) {
      const err = e as KairosError;
      // Already filled or cancelled (maybe by our own earlier attempt that timed out): report what it is.
      if (err.code === 'ORDER_INVALID' || err.code === 'ORDER_NOT_FOUND') {
        const current = await this.fetchOrder(symbol, orderId);
        if (isTerminalStatus(current.status)) return current;
      }
      throw err;
    }
  }

  async fetchOrder(symbol: string, orderId: string): Promise<Order> {
    await this.market(symbol);
    try {
      const order = await this.pipeline.call('fetchOrder', async (c) =>
        this.normalize(await c.fetchOrder(orderId, symbol, { ...(this.profile.fetchOrderParams ?? {}) }), symbol, this.known.get(orderId)?.order),
      );
      return this.update(order);
    } catch (e) {
      const k = this.known.get(orderId);
      if (e instanceof KairosError && e.code === 'ORDER_NOT_FOUND' && k && this.time.now() - k.sentAt <= this.config.visibilityGraceMs) {
        // Venues index new orders with a lag; "not found" this soon means "not visible yet".
        this.log.debug({ exchange: this.id, orderId }, 'order not visible yet; returning last known state');
        return k.order;
      }
      throw e;
    }
  }

  async fetchOrderByClientId(symbol: string, clientOrderId: string): Promise<Order | undefined> {
    await this.market(symbol);
    const found = await this.lookupByClientId(symbol, clientOrderId, true);
    return found ? this.update(found) : undefined;
  }

  async fetchOpenOrders(symbol?: string): Promise<Order[]> {
    if (symbol !== undefined) await this.market(symbol);
    const orders = await this.pipeline.call('fetchOpenOrders', async (c) => {
      const raw = await c.fetchOpenOrders(symbol);
      if (!Array.isArray(raw)) throw badResponse(this.id, 'open orders');
      return raw.map((o) => this.normalize(o, symbol ?? o.symbol ?? '', this.known.get(o.id ?? '')?.order));
    });
    return orders.map((o) => this.update(o));
  }

  /** Filled and cancelled orders of `symbol`, from `since` (ms) when given. */
  async fetchClosedOrders(symbol: string, since?: number, limit?: number): Promise<Order[]> {
    await this.market(symbol);
    return this.pipeline.call('fetchClosedOrders', async (c) => {
      const raw = await c.fetchClosedOrders(symbol, since, limit);
      if (!Array.isArray(raw)) throw badResponse(this.id, 'closed orders');
      return raw.map((o) => this.normalize(o, symbol, this.known.get(o.id ?? '')?.order));
    });
  }

  /**
   * Asks the venue whether it is in maintenance (where it says so) and pauses entries
   * until the announced end. Returns 'ok', 'maintenance' or 'unknown'.
   */
  async checkStatus(): Promise<'ok' | 'maintenance' | 'unknown'> {
    const client = await this.client();
    if (!this.profile.statusEndpoint || client.has.fetchStatus !== true) return 'unknown';
    const s = await this.pipeline.call('fetchStatus', (c) => c.fetchStatus(), 1);
    if (s?.status === 'maintenance') {
      const eta = typeof s.eta === 'number' && s.eta > this.time.now() ? s.eta : this.time.now() + 60_000;
      this.breaker.tripUntil(eta, 'maintenance');
      return 'maintenance';
    }
    return s?.status === 'ok' ? 'ok' : 'unknown';
  }

  /** Drops cached markets and closes the ccxt instance (sockets, websocket clients). */
  async close(): Promise<void> {
    this.markets = undefined;
    const pending = this.clientPromise;
    this.clientPromise = undefined;
    const client = pending ? await pending.catch(() => undefined) : undefined;
    await client?.close?.().catch(() => undefined);
  }

  // --- internals -------------------------------------------------------------------

  private async submit(intent: OrderIntent, amount: number, price: number | undefined): Promise<Order> {
    const cid = intent.clientOrderId;
    const now = this.time.now();
    const ack: Order = {
      id: '', clientOrderId: cid, symbol: intent.symbol, side: intent.side, type: intent.type, purpose: intent.purpose,
      status: 'open', amount, ...(price !== undefined ? { price } : {}), filled: 0, average: 0, fees: [], createdAt: now, updatedAt: now,
    };
    const params = { clientOrderId: cid, ...(intent.type === 'limit' && intent.postOnly ? { postOnly: true } : {}) };
    const { maxAttempts } = this.config.retry;
    for (let attempt = 1; ; attempt++) {
      let sentAt = this.time.now();
      const res = await this.pipeline.once('createOrder', async (c) => {
        sentAt = this.time.now();
        const raw = await c.createOrder(intent.symbol, intent.type, intent.side, amount, price, params);
        if (!raw || typeof raw !== 'object' || !raw.id) throw badResponse(this.id, 'order acknowledgement without id');
        return raw as CcxtOrder & { id: string };
      });
      if (res.ok) {
        const order = this.normalize(res.value, intent.symbol, { ...ack, id: res.value.id, createdAt: sentAt, updatedAt: sentAt });
        this.known.set(order.id, { order, sentAt });
        this.remember(this.idByClientId, cid, order.id);
        return order;
      }
      const failure = res.error;
      const mapped = this.pipeline.map(failure, 'createOrder');
      if (isDuplicateClientId(failure)) {
        // The venue already has this client id: the order exists; report it.
        const existing = await this.resolve(intent, sentAt);
        if (existing) return existing;
        throw outcomeUnknown(cid, mapped, { exchange: this.id, operation: 'createOrder' });
      }
      if (isDefiniteRejection(failure)) {
        // Refused before execution: re-sending the same client id is safe when it may help.
        if (mapped.code === 'EXCHANGE_RATE_LIMITED') this.breaker.recordFailure('createOrder rate limited');
        if (!mapped.retryable || attempt >= maxAttempts) throw mapped;
        await this.pipeline.backoff('createOrder', attempt, mapped);
        continue;
      }
      this.breaker.recordFailure(`createOrder ${mapped.code}`);
      this.log.warn({ exchange: this.id, clientOrderId: cid, code: mapped.code }, 'order outcome unknown; looking it up by client order id');
      const found = await this.resolve(intent, sentAt);
      if (found) return found;
      if (found === null && attempt < maxAttempts) {
        this.log.warn({ exchange: this.id, clientOrderId: cid }, 'order absent after the resolve window; sending it again');
        continue;
      }
      throw outcomeUnknown(cid, mapped, { exchange: this.id, operation: 'createOrder' });
    }
  }

  /**
   * Looks for the order of an ambiguous create until the resolve window has passed since
   * it was sent. Returns the order, `null` when the venue conclusively does not have it
   * (a successful lookup after the window), or `undefined` when we could not tell.
   */
  private async resolve(intent: OrderIntent, sentAt: number): Promise<Order | null | undefined> {
    const { resolveWindowMs, pollDelayMs } = this.config.unknownOutcome;
    let delay = pollDelayMs;
    for (let i = 0; i < 1000; i++) {
      const pastWindow = this.time.now() - sentAt >= resolveWindowMs;
      try {
        const found = await this.lookupByClientId(intent.symbol, intent.clientOrderId, false);
        if (found) {
          this.known.set(found.id, { order: found, sentAt });
          this.remember(this.idByClientId, intent.clientOrderId, found.id);
          return found;
        }
        if (pastWindow) return null;
      } catch (e) {
        if (pastWindow && this.time.now() - sentAt >= 3 * resolveWindowMs) return undefined;
        this.log.warn({ exchange: this.id, clientOrderId: intent.clientOrderId, error: (e as Error).message }, 'client order id lookup failed');
      }
      const left = sentAt + resolveWindowMs - this.time.now();
      await this.time.sleep(left > 0 ? Math.min(delay, left) : delay);
      delay = Math.min(10_000, delay * 2);
    }
    return undefined;
  }

  private async lookupByClientId(symbol: string, cid: string, retry: boolean): Promise<Order | undefined> {
    const raw = await lookupByClientOrderId(this.pipeline, this.profile, symbol, cid, retry ? this.config.retry.maxAttempts : 1);
    return raw ? this.normalize(raw, symbol, this.known.get(raw.id ?? '')?.order, cid) : undefined;
  }

  private normalize(raw: CcxtOrder | undefined, symbol: string, fallback?: Order, cid?: string): Order {
    if (!raw || typeof raw !== 'object') throw badResponse(this.id, 'order');
    const clientOrderId = raw.clientOrderId ?? cid ?? fallback?.clientOrderId;
    const purpose = clientOrderId ? this.purposes.get(clientOrderId) : undefined;
    const amountStep = this.markets?.[symbol]?.amountStep;
    return toOrder(this.id, raw, {
      symbol,
      now: this.time.now(),
      ...(amountStep !== undefined ? { amountStep } : {}),
      ...(purpose ? { purpose } : {}),
      ...(clientOrderId ? { clientOrderId } : {}),
      ...(fallback ? { fallback } : {}),
    });
  }

  private update(order: Order): Order {
    const k = this.known.get(order.id);
    if (k) k.order = order;
    return order;
  }

  private remember<V>(map: Map<string, V>, key: string, value: V): void {
    map.set(key, value);
    if (map.size > MAX_REMEMBERED) map.delete(map.keys().next().value as string);
    if (this.known.size > MAX_REMEMBERED) this.known.delete(this.known.keys().next().value as string);
  }

  private async ensureMarkets(): Promise<Record<string, Market>> {
    if (!this.markets) await this.loadMarkets();
    return this.markets as Record<string, Market>;
  }

  private async market(symbol: string): Promise<Market> {
    const m = (await this.ensureMarkets())[symbol];
    if (!m) throw new OrderRejectedError('SYMBOL_UNKNOWN', `${this.id}: unknown symbol ${symbol}`, { symbol, exchange: this.id });
    return m;
  }

  private client(redact = createRedactor([this.config.credentials?.apiKey, this.config.credentials?.secret, this.config.credentials?.password])): Promise<CcxtLike> {
    if (!this.clientPromise) {
      const make = this.deps.client ? Promise.resolve(this.deps.client) : createCcxtClient(this.config);
      this.clientPromise = make.then((c) => configureClient(c, this.config, this.profile, this.log, redact));
      this.clientPromise.catch(() => {
        this.clientPromise = undefined;
      });
    }
    return this.clientPromise;
  }
}

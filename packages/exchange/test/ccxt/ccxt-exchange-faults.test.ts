import ccxt from 'ccxt';
import { KairosError, MemoryLogger } from '@kairos/core';
import { afterEach, describe, expect, it } from 'vitest';
import { NullLogger, ConfigError } from '@kairos/core';
import {
  type CcxtLike,
  CircuitBreaker,
  configureClient,
  createCcxtClient,
  createRedactor,
  mapExchangeError,
  pageCandles,
  parseCcxtExchangeConfig,
  venueProfile,
} from '../../src';
import { btcHourly, startBybitVenue, type BybitVenue } from '../support/bybit-venue';

const candles = btcHourly(3000);
const START = (candles[2900] as (typeof candles)[number]).time;
const price = (candles[2899] as (typeof candles)[number]).close;

async function failure(p: Promise<unknown>): Promise<KairosError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(KairosError);
    return e as KairosError;
  }
  throw new Error('expected a failure');
}

describe('mapExchangeError (real ccxt classes)', () => {
  const ctx = { exchange: 'bybit', operation: 'x', redact: createRedactor([]) };
  const cases: Array<[unknown, string, boolean]> = [
    [new ccxt.OnMaintenance('m'), 'EXCHANGE_UNAVAILABLE', true],
    [new ccxt.ExchangeNotAvailable('m'), 'EXCHANGE_UNAVAILABLE', true],
    [new ccxt.NetworkError('m'), 'EXCHANGE_UNAVAILABLE', true],
    [new ccxt.RequestTimeout('m'), 'EXCHANGE_TIMEOUT', true],
    [new ccxt.RateLimitExceeded('m'), 'EXCHANGE_RATE_LIMITED', true],
    [new ccxt.DDoSProtection('m'), 'EXCHANGE_RATE_LIMITED', true],
    [new ccxt.AuthenticationError('m'), 'EXCHANGE_AUTH', false],
    [new ccxt.PermissionDenied('m'), 'EXCHANGE_AUTH', false],
    [new ccxt.InsufficientFunds('m'), 'INSUFFICIENT_FUNDS', false],
    [new ccxt.InvalidOrder('m'), 'ORDER_INVALID', false],
    [new ccxt.OrderNotFound('m'), 'ORDER_NOT_FOUND', false],
    [new ccxt.BadSymbol('m'), 'SYMBOL_UNKNOWN', false],
    [new ccxt.BadRequest('m'), 'ORDER_INVALID', false],
    [new ccxt.ExchangeError('m'), 'EXCHANGE_ERROR', false],
    [new ccxt.BadResponse('m'), 'EXCHANGE_ERROR', true],
    [new TypeError('m'), 'INTERNAL', false],
  ];
  it.each(cases)('%s', (err, code, retryable) => {
    const k = mapExchangeError(err, ctx);
    expect(k.code).toBe(code);
    expect(k.retryable).toBe(retryable);
  });
});

describe('configuration and the capability table', () => {
  it('switches to the testnet, then lets apiUrl override every API family', async () => {
    const cfg = parseCcxtExchangeConfig({ exchangeId: 'bybit', sandbox: true });
    const client = configureClient((await createCcxtClient(cfg)) as CcxtLike, cfg, venueProfile('bybit'), new NullLogger(), createRedactor([]));
    const api = client.urls.api as Record<string, string>;
    expect(api.public).toContain('api-testnet.');
    expect(client.timeout, 'default timeout').toBe(60_000);
    expect(client.enableRateLimit, "ccxt's own limiter is off").toBe(false);
    expect((client.options.fetchMarkets as { types: string[] }).types).toEqual(['spot']);
    const local = parseCcxtExchangeConfig({ exchangeId: 'bybit', sandbox: true, apiUrl: 'http://127.0.0.1:1', timeoutMs: 5_000 });
    const c2 = configureClient((await createCcxtClient(local)) as CcxtLike, local, venueProfile('bybit'), new NullLogger(), createRedactor([]));
    expect(Object.values(c2.urls.api as Record<string, string>).every((u) => u === 'http://127.0.0.1:1')).toBe(true);
    expect(c2.timeout).toBe(5_000);
  });

  it('refuses what it cannot do with a ConfigError naming the key', async () => {
    const mexc = parseCcxtExchangeConfig({ exchangeId: 'mexc', sandbox: true });
    expect(() => configureClient({ setSandboxMode() {}, options: {}, urls: { api: {} } } as unknown as CcxtLike, mexc, venueProfile('mexc'), new NullLogger(), createRedactor([]))).toThrow(
      expect.objectContaining({ key: 'exchange.sandbox' }),
    );
    await expect(createCcxtClient(parseCcxtExchangeConfig({ exchangeId: 'nosuchexchange' }))).rejects.toBeInstanceOf(ConfigError);
    const bad = (() => {
      try {
        parseCcxtExchangeConfig({ exchangeId: 'bybit', credentials: { apiKey: 'SECRETKEYabcd1234', secret: '' } });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(bad.key).toBe('exchange.credentials.secret');
    expect(bad.message.includes('SECRETKEYabcd1234')).toBe(false);
  });

  it('reads venue differences from the table, with a safe default for unknown ids', () => {
    expect(venueProfile('bybit').clientIdLookup).toEqual({ method: 'fetchOpenOrders', param: 'orderLinkId' });
    expect(venueProfile('binance').clientIdLookup?.param).toBe('origClientOrderId');
    expect(venueProfile('okx').capabilities.candleLimit).toBe(300);
    expect(venueProfile('mexc').capabilities.sandbox).toBe(false);
    expect(venueProfile('someexchange').clientIdLookup).toBeUndefined();
  });
});

describe('pageCandles', () => {
  it('reads exact ranges, skips gaps, and drops the forming candle', async () => {
    const H = 3_600_000;
    const have = Array.from({ length: 50 }, (_, i) => i).filter((i) => i < 10 || i >= 25).map((i) => ({ time: i * H, open: 1, high: 1, low: 1, close: 1, volume: 1 }));
    const asked: Array<[number, number]> = [];
    const got = await pageCandles(
      async (from, n, until) => {
        asked.push([from, n]);
        return have.filter((c) => c.time >= from && c.time <= until);
      },
      { timeframeMs: H, now: 49 * H + 10, pageLimit: 8, since: 0 },
    );
    expect(got.map((c) => c.time / H)).toEqual([...Array.from({ length: 10 }, (_, i) => i), ...Array.from({ length: 24 }, (_, i) => 25 + i)]);
    expect(asked.every(([, n]) => n <= 8)).toBe(true);
    const latest = await pageCandles(async (from, _n, until) => have.filter((c) => c.time >= from && c.time <= until), { timeframeMs: H, now: 49 * H + 10, pageLimit: 8, limit: 3 });
    expect(latest.map((c) => c.time / H)).toEqual([46, 47, 48]);
  });
});

describe('CcxtExchange against faults of the local Bybit server', () => {
  let venue: BybitVenue;
  afterEach(async () => {
    await venue.close();
  });

  it('waits out Retry-After on 429s and then succeeds', async () => {
    venue = await startBybitVenue({ candles: { BTCUSDT: candles }, startTime: START });
    const ex = venue.adapter({ timeoutMs: 500 });
    await ex.loadMarkets();
    venue.server.setFault({ rules: [{ kind: 'http429', retryAfterSec: 7, count: 2, paths: ['/v5/market/tickers'] }] });
    const t0 = venue.time.now();
    const t = await ex.fetchTicker('BTC/USDT');
    expect(t.last).toBe(price);
    expect(venue.time.now() - t0, 'two Retry-After waits of 7 s').toBeGreaterThanOrEqual(14_000);
    expect(venue.server.requests.filter((r) => r.path === '/v5/market/tickers').map((r) => r.outcome)).toEqual(['http429', 'http429', 'ok']);
  });

  it('retries 5xx, malformed JSON and hung requests on safe calls', async () => {
    venue = await startBybitVenue({ candles: { BTCUSDT: candles }, startTime: START });
    const ex = venue.adapter({ timeoutMs: 200 });
    await ex.loadMarkets();
    venue.server.setFault({
      rules: [
        { kind: 'http5xx', status: 502, count: 2, paths: ['/v5/account/wallet-balance'] },
        { kind: 'malformed', count: 1, paths: ['/v5/market/kline'] },
        { kind: 'hang', count: 1, paths: ['/v5/market/orderbook'] },
      ],
    });
    expect((await ex.fetchBalance()).USDT?.total).toBe(10_000);
    expect((await ex.fetchCandles('BTC/USDT', '1h', { limit: 5 })).map((c) => c.close)).toEqual(candles.slice(2895, 2900).map((c) => c.close));
    const book = await ex.fetchOrderBook('BTC/USDT', 5);
    expect(book.bids[0]?.[0]).toBe(price);
    const outcomes = venue.server.requests.map((r) => r.outcome);
    expect(outcomes.filter((o) => o === 'http5xx')).toHaveLength(2);
    expect(outcomes.filter((o) => o === 'malformed')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'hang')).toHaveLength(1);
  });

  it('gives up with EXCHANGE_TIMEOUT after the attempts, and EXCHANGE_AUTH at once for a bad secret', async () => {
    venue = await startBybitVenue({ candles: { BTCUSDT: candles }, startTime: START });
    const ex = venue.adapter({ timeoutMs: 150, retry: { maxAttempts: 2 } });
    await ex.loadMarkets();
    venue.server.setFault({ rules: [{ kind: 'hang', paths: ['/v5/market/tickers'] }] });
    const timeout = await failure(ex.fetchTicker('BTC/USDT'));
    expect(timeout.code).toBe('EXCHANGE_TIMEOUT');
    expect(timeout.retryable).toBe(true);
    venue.server.setFault({});
    const wrong = venue.adapter({ credentials: { apiKey: 'test-api-key', secret: 'not-the-secret' } });
    const before = venue.server.requests.length;
    const auth = await failure(wrong.fetchBalance());
    expect(auth.code).toBe('EXCHANGE_AUTH');
    expect(auth.retryable).toBe(false);
    expect(venue.server.requests.length - before, 'no retry of an auth failure').toBe(1);
  });

  it('pauses entries (never exits) during maintenance and resumes by itself', async () => {
    venue = await startBybitVenue({ candles: { BTCUSDT: candles }, startTime: START, balances: { USDT: 10_000, BTC: 1 } });
    const breaker = new CircuitBreaker(venue.time, { failureThreshold: 3, openMs: 20_000 });
    const ex = venue.adapter({ timeoutMs: 500, retry: { maxAttempts: 3 } }, { breaker });
    await ex.loadMarkets();
    venue.server.setFault({ rules: [{ kind: 'maintenance' }] });
    expect((await failure(ex.fetchTicker('BTC/USDT'))).code).toBe('EXCHANGE_UNAVAILABLE');
    expect(await ex.checkStatus()).toBe('maintenance');
    expect(breaker.allowsEntries()).toBe(false);
    const creates = (): number => venue.server.requests.filter((r) => r.path === '/v5/order/create').length;
    const entry = await failure(ex.createOrder({ symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: 0.001, clientOrderId: 'mEntry1', purpose: 'entry' }));
    expect(entry.code).toBe('EXCHANGE_UNAVAILABLE');
    expect(entry.details.circuit).toBe('open');
    expect(creates(), 'a paused entry is not sent').toBe(0);
    // An exit is still sent (it fails here only because the venue answers 503 to everything).
    await failure(ex.createOrder({ symbol: 'BTC/USDT', side: 'sell', type: 'market', amount: 0.001, clientOrderId: 'mExit1', purpose: 'exit' }));
    expect(creates(), 'exits pass the breaker').toBeGreaterThan(0);
    venue.server.setFault({});
    await venue.time.sleep(60 * 60_000);
    const order = await ex.createOrder({ symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: 0.001, clientOrderId: 'mEntry2', purpose: 'entry' });
    expect(order.id).toBeTruthy();
    expect(breaker.state).toBe('closed');
  });

  it('pages candles forward across several requests', async () => {
    venue = await startBybitVenue({ candles: { BTCUSDT: candles }, startTime: START });
    const ex = venue.adapter({}, { profile: { capabilities: { nativeStopOrders: true, candleLimit: 100, fetchOrderByClientId: true, streams: false, sandbox: true } } });
    const since = (candles[1000] as (typeof candles)[number]).time;
    const got = await ex.fetchCandles('BTC/USDT', '1h', { since, limit: 250 });
    expect(got.map((c) => c.time)).toEqual(candles.slice(1000, 1250).map((c) => c.time));
    expect(venue.server.requests.filter((r) => r.path === '/v5/market/kline')).toHaveLength(3);
  });

  it('serves order history and executions that ccxt parses', async () => {
    venue = await startBybitVenue({ candles: { BTCUSDT: candles }, startTime: START });
    const ex = venue.adapter();
    const o = await ex.createOrder({ symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: 0.001, clientOrderId: 'hist1', purpose: 'entry' });
    const closed = await ex.fetchClosedOrders('BTC/USDT');
    expect(closed.map((c) => [c.id, c.status, c.filled])).toEqual([[o.id, 'filled', 0.001]]);
    expect(closed[0]?.fees).toEqual([{ currency: 'BTC', cost: 0.001 * 0.001 }]);
    const client = new ccxt.bybit({ apiKey: 'test-api-key', secret: 'test-api-secret', options: venueProfile('bybit').ccxtOptions });
    client.urls.api = { spot: venue.server.url, futures: venue.server.url, v2: venue.server.url, public: venue.server.url, private: venue.server.url };
    const trades = await client.fetchMyTrades('BTC/USDT');
    expect(trades.map((t) => [t.order, t.amount, t.price])).toEqual([[o.id, 0.001, price]]);
  });

  it('values the balance in USDT from tickers', async () => {
    venue = await startBybitVenue({ candles: { BTCUSDT: candles }, startTime: START, balances: { USDT: 1000, BTC: 0.5, XYZ: 3 } });
    const v = await venue.adapter().fetchBalanceValue('USDT');
    expect(v.total).toBeCloseTo(1000 + 0.5 * price, 6);
    expect(v.values.BTC).toBeCloseTo(0.5 * price, 6);
    expect(v.unpriced).toEqual(['XYZ']);
  });
});

describe('secrets', () => {
  it('never reach logs, errors or thrown messages, even in verbose mode', async () => {
    const apiKey = 'CANARYKEYq7w8e9r0';
    const secret = 'CANARYSECRETz1x2c3v4b5';
    const venue = await startBybitVenue({ candles: { BTCUSDT: candles }, startTime: START, apiKey, apiSecret: secret });
    const logger = new MemoryLogger();
    const seen: string[] = [];
    const record = async (p: Promise<unknown>): Promise<void> => {
      try {
        await p;
      } catch (e) {
        const err = e as KairosError;
        seen.push(String(err), err.message, String(err.stack), JSON.stringify(err), JSON.stringify(err.details ?? {}), String(err.cause ?? ''));
      }
    };
    try {
      const ex = venue.adapter({ credentials: { apiKey, secret }, verbose: true, timeoutMs: 150, retry: { maxAttempts: 2 } }, { logger });
      await record(ex.loadMarkets());
      await record(ex.fetchBalance());
      await record(ex.createOrder({ symbol: 'BTC/USDT', side: 'buy', type: 'limit', price: 20_000, amount: 0.001, clientOrderId: 'canary1', purpose: 'entry' }));
      venue.server.setFault({ rules: [{ kind: 'http429', count: 1 }, { kind: 'hang', count: 2, paths: ['/v5/account/wallet-balance'] }] });
      await record(ex.fetchBalance());
      venue.server.setFault({});
      await record(ex.fetchOrder('BTC/USDT', '123'));
      const wrong = venue.adapter({ credentials: { apiKey, secret: 'CANARYWRONGp0o9i8u7' }, verbose: true }, { logger });
      await record(wrong.fetchBalance());
      seen.push(JSON.stringify(ex), JSON.stringify(logger.entries));
      await record(Promise.resolve().then(() => venue.adapter({ credentials: { apiKey, secret }, timeoutMs: -5 })));
    } finally {
      await venue.close();
    }
    const text = seen.join('\n');
    expect(logger.entries.filter((e) => e.msg === 'ccxt trace').length, 'verbose traces were logged').toBeGreaterThan(5);
    expect(seen.length, 'errors were produced and inspected').toBeGreaterThan(8);
    for (const canary of [apiKey, secret, 'CANARYWRONGp0o9i8u7']) expect(text.includes(canary), `${canary} leaked`).toBe(false);
    expect(text.includes('[REDACTED]'), 'redaction happened where ccxt would have printed them').toBe(true);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Market } from '../domain/market';
import type { Order, OrderIntent } from '../domain/order';
import { canTransition, isTerminalStatus } from '../domain/order';
import { floorToStep, roundToStep } from '../domain/precision';
import { KairosError } from '../errors/kairos-error';
import type { ExchangeAdapter } from '../ports/exchange-adapter';

/** One fresh venue for one test. */
export interface ExchangeAdapterFixture {
  readonly adapter: ExchangeAdapter;
  /** A spot symbol with a known price, candle history and a funded quote balance. */
  readonly symbol: string;
  /** The quote currency of `symbol` is funded with this much, and nothing is reserved. */
  readonly quoteBalance: number;
  /**
   * Moves the venue on so that marketable orders execute (feed the next candle to a
   * simulator, let a server's matching run). Called after placing market orders.
   */
  settle(): Promise<void>;
  /** Stops servers, closes the adapter. */
  close(): Promise<void>;
}

/** What the suite needs from an implementation: a way to make fresh fixtures. */
export interface ExchangeAdapterHarness {
  create(): Promise<ExchangeAdapterFixture>;
}

const EPS = 1e-9;

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e, 'adapters throw typed KairosErrors').toBeInstanceOf(KairosError);
    return (e as KairosError).code;
  }
  return 'NO_ERROR';
}

/** An amount comfortably above the market's minimums at `price`. */
function sizeFor(m: Market, price: number, notional: number): number {
  const byNotional = Math.max(notional, m.minNotional * 2) / price;
  const raw = Math.max(byNotional, m.minAmount * 2);
  return roundToStep(Math.ceil(raw / m.amountStep) * m.amountStep, m.amountStep);
}

/**
 * The shared behaviour every `ExchangeAdapter` must show: market data shapes, order
 * lifecycle, idempotent client order ids, typed rejections and monotone order states.
 * Register it once per implementation:
 *
 * ```ts
 * describeExchangeAdapterConformance('SimulatedExchange', { create: async () => ({ ... }) });
 * ```
 */
export function describeExchangeAdapterConformance(name: string, harness: ExchangeAdapterHarness): void {
  describe(`ExchangeAdapter conformance: ${name}`, () => {
    // Client order ids unique across tests (a venue may remember ids across fixtures).
    let seq = 0;
    const cid = (tag: string): string => {
      seq += 1;
      return `conf${tag}${Date.now().toString(36)}${seq}`.slice(0, 30);
    };
    let fx: ExchangeAdapterFixture;
    let market: Market;
    let price: number;

    beforeEach(async () => {
      fx = await harness.create();
      const markets = await fx.adapter.loadMarkets();
      market = markets[fx.symbol] as Market;
      price = (await fx.adapter.fetchTicker(fx.symbol)).last;
    });
    afterEach(async () => {
      await fx.close();
    });

    const restingBuy = (tag: string): Extract<OrderIntent, { type: 'limit' }> => {
      const p = roundToStep(price * 0.8, market.priceStep);
      return { symbol: fx.symbol, side: 'buy', type: 'limit', price: p, amount: sizeFor(market, p, 20), clientOrderId: cid(tag), purpose: 'entry' };
    };

    it('lists the fixture market with sane steps, limits and fees', () => {
      expect(market, 'the fixture symbol is listed').toBeDefined();
      expect(`${market.base}/${market.quote}`).toBe(fx.symbol);
      expect(market.amountStep).toBeGreaterThan(0);
      expect(market.priceStep).toBeGreaterThan(0);
      expect(market.minAmount).toBeGreaterThanOrEqual(0);
      expect(market.takerFee).toBeGreaterThanOrEqual(0);
      expect(market.takerFee, 'fees are fractions, not percents').toBeLessThan(0.02);
    });

    it('reports balances whose total is free plus used', async () => {
      const balances = await fx.adapter.fetchBalance();
      const q = balances[market.quote];
      expect(q?.free ?? 0, 'quote balance is funded').toBeGreaterThanOrEqual(fx.quoteBalance - EPS);
      for (const b of Object.values(balances)) {
        expect(b.total).toBeCloseTo(b.free + b.used, 6);
        expect(b.free).toBeGreaterThanOrEqual(-EPS);
        expect(b.used).toBeGreaterThanOrEqual(-EPS);
      }
    });

    it('gives a positive ticker price, and SYMBOL_UNKNOWN for an unknown symbol', async () => {
      const t = await fx.adapter.fetchTicker(fx.symbol);
      expect(t.symbol).toBe(fx.symbol);
      expect(t.last).toBeGreaterThan(0);
      expect(await codeOf(fx.adapter.fetchTicker('NOPE/USDT'))).toBe('SYMBOL_UNKNOWN');
    });

    it('returns ascending, well-formed candles that honour since and limit', async () => {
      const all = await fx.adapter.fetchCandles(fx.symbol, '1h', { limit: 20 });
      expect(all.length, 'history exists').toBeGreaterThan(2);
      expect(all.length).toBeLessThanOrEqual(20);
      for (let i = 0; i < all.length; i++) {
        const c = all[i] as (typeof all)[number];
        expect(c.low).toBeLessThanOrEqual(Math.min(c.open, c.close) + EPS);
        expect(c.high).toBeGreaterThanOrEqual(Math.max(c.open, c.close) - EPS);
        if (i > 0) expect(c.time, 'strictly ascending').toBeGreaterThan((all[i - 1] as typeof c).time);
      }
      const since = (all[1] as (typeof all)[number]).time;
      const later = await fx.adapter.fetchCandles(fx.symbol, '1h', { since, limit: 2 });
      expect(later.map((c) => c.time)).toEqual(all.slice(1, 3).map((c) => c.time));
    });

    it('places a resting limit order that is visible by id, by client id and among open orders', async () => {
      const intent = restingBuy('rest');
      const order = await fx.adapter.createOrder(intent);
      expect(order.id).toBeTruthy();
      expect(order.clientOrderId).toBe(intent.clientOrderId);
      expect(order.symbol).toBe(fx.symbol);
      expect(order.side).toBe('buy');
      expect(order.type).toBe('limit');
      expect(order.purpose).toBe('entry');
      expect(order.amount).toBeCloseTo(intent.amount, 12);
      expect(isTerminalStatus(order.status), 'a resting order is not terminal').toBe(false);
      const fetched = await fx.adapter.fetchOrder(fx.symbol, order.id);
      expect(fetched.id).toBe(order.id);
      expect(fetched.filled).toBe(0);
      expect(canTransition(order.status, fetched.status), `${order.status} -> ${fetched.status}`).toBe(true);
      const open = await fx.adapter.fetchOpenOrders(fx.symbol);
      expect(open.filter((o) => o.clientOrderId === intent.clientOrderId).map((o) => o.id)).toEqual([order.id]);
      if (fx.adapter.capabilities.fetchOrderByClientId) {
        expect(fx.adapter.fetchOrderByClientId, 'the capability has a method').toBeTypeOf('function');
        const byCid = await fx.adapter.fetchOrderByClientId?.(fx.symbol, intent.clientOrderId);
        expect(byCid?.id).toBe(order.id);
        expect(await fx.adapter.fetchOrderByClientId?.(fx.symbol, cid('unknown'))).toBeUndefined();
      }
      const quote = (await fx.adapter.fetchBalance())[market.quote];
      expect(quote?.used ?? 0, 'the order reserves quote').toBeGreaterThanOrEqual(intent.amount * intent.price * (1 - 1e-6));
    });

    it('never makes a second order for a repeated client order id', async () => {
      const intent = restingBuy('idem');
      const a = await fx.adapter.createOrder(intent);
      const b = await fx.adapter.createOrder(intent);
      expect(b.id, 'same client id, same order').toBe(a.id);
      const open = await fx.adapter.fetchOpenOrders(fx.symbol);
      expect(open.filter((o) => o.clientOrderId === intent.clientOrderId)).toHaveLength(1);
    });

    it('cancels an order, releases its reserve, and reports it canceled afterwards', async () => {
      const before = (await fx.adapter.fetchBalance())[market.quote];
      const order = await fx.adapter.createOrder(restingBuy('cancel'));
      const canceled = await fx.adapter.cancelOrder(fx.symbol, order.id);
      expect(canceled.id).toBe(order.id);
      expect(canceled.status).toBe('canceled');
      expect((await fx.adapter.fetchOrder(fx.symbol, order.id)).status).toBe('canceled');
      expect((await fx.adapter.fetchOpenOrders(fx.symbol)).some((o) => o.id === order.id)).toBe(false);
      const after = (await fx.adapter.fetchBalance())[market.quote];
      expect(after?.free ?? 0).toBeCloseTo(before?.free ?? 0, 6);
    });

    it('fills a market buy and credits the base currency', async () => {
      const before = (await fx.adapter.fetchBalance())[market.base]?.total ?? 0;
      const intent: OrderIntent = { symbol: fx.symbol, side: 'buy', type: 'market', amount: sizeFor(market, price, 50), clientOrderId: cid('mkt'), purpose: 'entry' };
      const order = await fx.adapter.createOrder(intent);
      await fx.settle();
      const done = await fx.adapter.fetchOrder(fx.symbol, order.id);
      expect(done.status).toBe('filled');
      expect(done.filled).toBeCloseTo(intent.amount, 10);
      expect(done.average, 'fills near the market price').toBeGreaterThan(price * 0.9);
      expect(done.average).toBeLessThan(price * 1.1);
      expect(canTransition(order.status, done.status)).toBe(true);
      const after = (await fx.adapter.fetchBalance())[market.base]?.total ?? 0;
      expect(after - before, 'base credited, less fees at most 1%').toBeGreaterThan(intent.amount * 0.99 - EPS);
      expect(after - before).toBeLessThanOrEqual(intent.amount + EPS);
    });

    it('rejects bad orders with typed, non-retryable errors', async () => {
      const good = restingBuy('bad');
      const offStep = good.amount + market.amountStep / 3;
      expect(await codeOf(fx.adapter.createOrder({ ...good, clientOrderId: cid('step'), amount: offStep }))).toBe('ORDER_PRECISION');
      const tiny = floorToStep(market.minAmount / 4, market.amountStep);
      if (tiny > 0 && market.minAmount > market.amountStep) {
        expect(await codeOf(fx.adapter.createOrder({ ...good, clientOrderId: cid('min'), amount: tiny }))).toBe('ORDER_BELOW_MINIMUM');
      }
      const tooBig = roundToStep(Math.ceil(((fx.quoteBalance * 3) / good.price) / market.amountStep) * market.amountStep, market.amountStep);
      if (market.maxAmount === undefined || tooBig <= market.maxAmount) {
        expect(await codeOf(fx.adapter.createOrder({ ...good, clientOrderId: cid('funds'), amount: tooBig }))).toBe('INSUFFICIENT_FUNDS');
      }
      expect(await codeOf(fx.adapter.createOrder({ ...good, clientOrderId: cid('sym'), symbol: 'NOPE/USDT' }))).toBe('SYMBOL_UNKNOWN');
      try {
        await fx.adapter.createOrder({ ...good, clientOrderId: cid('step2'), amount: offStep });
      } catch (e) {
        expect((e as KairosError).retryable).toBe(false);
      }
      const open = await fx.adapter.fetchOpenOrders(fx.symbol);
      expect(open, 'no rejected order rests on the book').toHaveLength(0);
    });

    it('says ORDER_NOT_FOUND for an order it never had', async () => {
      expect(await codeOf(fx.adapter.fetchOrder(fx.symbol, '987654321987'))).toBe('ORDER_NOT_FOUND');
    });

    it('keeps order states monotone across snapshots', async () => {
      const seen: Order[] = [];
      const order = await fx.adapter.createOrder(restingBuy('mono'));
      seen.push(order, await fx.adapter.fetchOrder(fx.symbol, order.id));
      seen.push(await fx.adapter.cancelOrder(fx.symbol, order.id));
      seen.push(await fx.adapter.fetchOrder(fx.symbol, order.id));
      for (let i = 1; i < seen.length; i++) {
        const a = seen[i - 1] as Order;
        const b = seen[i] as Order;
        expect(canTransition(a.status, b.status), `${a.status} -> ${b.status}`).toBe(true);
        expect(b.filled).toBeGreaterThanOrEqual(a.filled - EPS);
      }
    });
  });
}

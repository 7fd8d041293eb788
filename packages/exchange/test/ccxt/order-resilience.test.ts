import type { KairosError, Order } from '@kairos/core';
import { afterEach, describe, expect, it } from 'vitest';
import { CircuitBreaker, MemoryRateLimitStore, WeightedRateLimiter } from '../../src';
import { type BybitVenue, btcHourly, startBybitVenue } from '../support/bybit-venue';

const candles = btcHourly(120);
const START = (candles[100] as (typeof candles)[number]).time;
const SYMBOL = 'BTC/USDT';

/** A breaker that never opens, for tests about order resolution alone. */
const lenient = (venue: BybitVenue): CircuitBreaker => new CircuitBreaker(venue.time, { failureThreshold: Number.MAX_SAFE_INTEGER });

function byLinkId(orders: ReadonlyArray<{ orderLinkId: string }>): Map<string, number> {
  const m = new Map<string, number>();
  for (const o of orders) m.set(o.orderLinkId, (m.get(o.orderLinkId) ?? 0) + 1);
  return m;
}

describe('orders whose outcome is unknown', () => {
  let venue: BybitVenue;
  afterEach(async () => {
    await venue.close();
  });

  it('ambiguous create: 500 accepted-then-timed-out orders, 0 duplicates, all resolved by client order id', async () => {
    venue = await startBybitVenue({ candles: { BTCUSDT: candles }, startTime: START, enforceUniqueClientIds: false, balances: { USDT: 100_000 } });
    const breaker = lenient(venue);
    // One adapter, 50 creates at a time. The timeout leaves the server time to execute each
    // create before the client gives up; the budget never binds, as this test is about resolution.
    const ex = venue.adapter({ timeoutMs: 1000, rateLimit: { limit: 100_000, windowMs: 1000 } }, { breaker });
    await ex.loadMarkets();
    venue.server.setFault({ rules: [{ kind: 'acceptThenHang', paths: ['/v5/order/create'] }] });
    const results = new Map<string, Order>();
    await Promise.all(
      Array.from({ length: 50 }, async (_, wi) => {
        for (let i = 0; i < 10; i++) {
          const clientOrderId = `amb${wi}x${i}`;
          const o = await ex.createOrder({ symbol: SYMBOL, side: 'buy', type: 'limit', price: 20_000, amount: 0.0005, clientOrderId, purpose: 'entry' });
          results.set(clientOrderId, o);
        }
      }),
    );
    const created = venue.server.state.created;
    expect(venue.server.requests.filter((r) => r.path === '/v5/order/create' && r.outcome === 'acceptThenHang'), 'every create hung').toHaveLength(500);
    expect(created, 'one order per intent on the server').toHaveLength(500);
    expect([...byLinkId(created).values()].every((n) => n === 1), 'no duplicates').toBe(true);
    expect(results.size, 'every create resolved').toBe(500);
    for (const o of created) expect(results.get(o.orderLinkId)?.id, o.orderLinkId).toBe(o.orderId);
  }, 120_000);

  it('delayed visibility: 30 s of "not found" cause no re-submission and no false cancellation', async () => {
    venue = await startBybitVenue({ candles: { BTCUSDT: candles }, startTime: START, enforceUniqueClientIds: false, balances: { USDT: 100_000 } });
    venue.server.setFault({ orderVisibilityDelayMs: 30_000 });
    const ex = venue.adapter({ timeoutMs: 1000 }, { breaker: lenient(venue) });
    await ex.loadMarkets();
    // Acknowledged orders, polled while the venue does not show them yet.
    const tAck = venue.time.now();
    const acked = await Promise.all(
      Array.from({ length: 10 }, (_, i) => ex.createOrder({ symbol: SYMBOL, side: 'buy', type: 'limit', price: 20_000, amount: 0.0005, clientOrderId: `vis${i}`, purpose: 'entry' })),
    );
    expect(venue.time.now() - tAck, 'acknowledged at once, not resolved by lookups').toBeLessThan(1000);
    const statuses: string[] = [];
    let hiddenPolls = 0;
    for (let t = 0; t <= 60_000; t += 5_000) {
      if (venue.server.state.visibleOrders().length === 0) hiddenPolls += 1;
      for (const o of acked) statuses.push((await ex.fetchOrder(SYMBOL, o.id)).status);
      await venue.time.sleep(5_000);
    }
    expect(hiddenPolls, 'polls while the venue said "not found"').toBeGreaterThanOrEqual(6);
    expect(venue.server.requests.filter((r) => r.path === '/v5/order/realtime' && r.outcome === 'ok').length, 'the venue was asked').toBeGreaterThan(100);
    expect(new Set(statuses), 'open throughout, never canceled').toEqual(new Set(['open']));
    // Ambiguous creates of orders that stay invisible for 30 s.
    venue.server.setFault({ orderVisibilityDelayMs: 30_000, rules: [{ kind: 'acceptThenHang', paths: ['/v5/order/create'] }] });
    const t0 = venue.time.now();
    const resolved = await Promise.all(
      Array.from({ length: 10 }, (_, i) => ex.createOrder({ symbol: SYMBOL, side: 'buy', type: 'limit', price: 20_000, amount: 0.0005, clientOrderId: `amb-vis${i}`, purpose: 'entry' })),
    );
    expect(venue.time.now() - t0, 'it waited for the order to appear').toBeGreaterThanOrEqual(30_000);
    const created = venue.server.state.created;
    expect(created, '20 intents, 20 orders: no re-submission').toHaveLength(20);
    expect(venue.server.requests.filter((r) => r.path === '/v5/order/create')).toHaveLength(20);
    expect(venue.server.requests.filter((r) => r.path === '/v5/order/cancel'), 'no cancellation').toHaveLength(0);
    for (const o of resolved) expect(created.find((c) => c.orderLinkId === o.clientOrderId)?.orderId).toBe(o.id);
  });

  it('flaky soak: 30% failures for 10 simulated minutes, 20 users on one key budget', async () => {
    venue = await startBybitVenue({ candles: { BTCUSDT: candles }, startTime: START, enforceUniqueClientIds: false, balances: { USDT: 1_000_000, BTC: 100 }, seed: 7 });
    const LIMIT = 10;
    const limiter = new WeightedRateLimiter({ key: 'bybit:shared-key', limit: LIMIT, windowMs: 1000 }, new MemoryRateLimitStore(), venue.time);
    const breaker = new CircuitBreaker(venue.time);
    const users = Array.from({ length: 20 }, () => venue.adapter({ timeoutMs: 150 }, { limiter, breaker }));
    for (const u of users) await u.loadMarkets();
    let unhandled = 0;
    const onUnhandled = (): void => {
      unhandled += 1;
    };
    process.on('unhandledRejection', onUnhandled);
    const t0 = venue.time.now();
    const faultEnd = t0 + 600_000;
    const runEnd = faultEnd + 120_000;
    const entries: number[] = [];
    const errors = new Map<string, number>();
    try {
      venue.server.setFault({
        rules: [
          { kind: 'http429', probability: 0.13, retryAfterSec: 1 },
          { kind: 'http5xx', probability: 0.17 },
          // Hangs cost real time (ccxt's timeout is a real timer), so they are the rarer kind.
          { kind: 'hang', probability: 0.015 },
        ],
      });
      const controller = venue.time.sleep(600_000).then(() => venue.server.setFault({}));
      await Promise.all([
        controller,
        ...users.map(async (u, ui) => {
          for (let n = 0; n < 1000 && venue.time.now() < runEnd; n++) {
            try {
              await u.fetchTicker(SYMBOL);
              const side = n % 2 === 0 ? 'buy' : 'sell';
              const o = await u.createOrder({ symbol: SYMBOL, side, type: 'market', amount: 0.0002, clientOrderId: `soak${ui}n${n}`, purpose: side === 'buy' ? 'entry' : 'exit' });
              if (side === 'buy') entries.push(venue.time.now());
              await u.fetchOrder(SYMBOL, o.id);
            } catch (e) {
              const code = (e as KairosError).code ?? 'NOT_KAIROS';
              errors.set(code, (errors.get(code) ?? 0) + 1);
            }
            await venue.time.sleep(15_000 + ui * 50);
          }
        }),
      ]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    const reqs = venue.server.requests;
    const during = reqs.filter((r) => r.time < faultEnd);
    const faulted = during.filter((r) => r.outcome === 'http429' || r.outcome === 'http5xx' || r.outcome === 'hang').length / during.length;
    expect(faulted, 'about 30% of calls failed').toBeGreaterThan(0.24);
    expect(faulted).toBeLessThan(0.36);
    expect(unhandled, 'no unhandled rejection').toBe(0);
    expect(errors.has('NOT_KAIROS'), 'every failure is a KairosError').toBe(false);
    expect([...byLinkId(venue.server.state.created).values()].every((n) => n === 1), 'no duplicate orders').toBe(true);
    // Requests in any 1 s window, counted by the server.
    const times = reqs.map((r) => r.time).sort((a, b) => a - b);
    let worst = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while ((times[i] as number) - (times[j] as number) >= 1000) j++;
      worst = Math.max(worst, i - j + 1);
    }
    expect(worst, 'requests in the busiest 1 s window').toBeLessThanOrEqual(LIMIT);
    const firstAfter = entries.find((t) => t >= faultEnd);
    expect(firstAfter, 'entries resumed').toBeDefined();
    expect((firstAfter as number) - faultEnd, 'within 60 s of the faults stopping').toBeLessThanOrEqual(60_000);
    expect(entries.filter((t) => t < faultEnd).length, 'trading went on during the faults').toBeGreaterThan(50);
  }, 180_000);
});

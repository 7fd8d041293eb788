import { describe, expect, it } from 'vitest';
import { MemoryTradeStore, Reconciler, TradingGate, floorToStep, netBaseAmount } from '../src';
import type { StoredOrder } from '../src';
import { FakeVenue, venueOrder } from './support-fake-venue';

function setup(opts: { blockOnMismatch?: boolean; noClientLookup?: boolean } = {}) {
  const venue = new FakeVenue();
  const store = new MemoryTradeStore();
  const gate = new TradingGate();
  const exchange = opts.noClientLookup
    ? { loadMarkets: () => venue.loadMarkets(), fetchBalance: () => venue.fetchBalance(), fetchOrder: (s: string, id: string) => venue.fetchOrder(s, id), fetchOpenOrders: () => venue.fetchOpenOrders() }
    : venue;
  const rec = new Reconciler({ exchange, store, userId: 'u1', gate, clock: { now: () => 10_000 }, blockOnMismatch: opts.blockOnMismatch });
  return { venue, store, gate, rec };
}

function intent(over: Partial<StoredOrder> = {}): StoredOrder {
  return { ...venueOrder({ id: '', status: 'pending_submit' }), userId: 'u1', strategyId: 's1', ...over };
}

describe('Reconciler', () => {
  it('keeps entries blocked until a reconciliation passes', async () => {
    const { gate, rec } = setup();
    expect(gate.allows('entry'), 'blocked before the first pass').toBe(false);
    expect(gate.allows('exit'), 'exits are never blocked').toBe(true);
    const r = await rec.reconcile();
    expect(r.passed).toBe(true);
    expect(gate.allows('entry')).toBe(true);
  });

  it('settles an intent that was sent and filled while down, importing its fill', async () => {
    const { venue, store, rec } = setup();
    await store.saveOrder(intent());
    venue.put(venueOrder({ status: 'filled', filled: 1, average: 100, fees: [{ currency: 'USDT', cost: 0.1 }], updatedAt: 2_000 }));
    venue.balances = { BTC: 1 };
    const r = await rec.reconcile();
    expect(r.pendingResolved).toEqual([{ clientOrderId: 'c1', outcome: 'sent', status: 'filled' }]);
    expect(r.fillsImported).toEqual([{ clientOrderId: 'c1', fillId: 'v1@1', amount: 1 }]);
    expect((await store.getOrder('c1'))?.id).toBe('v1');
    const fills = await store.listFills('u1');
    expect(fills[0]).toMatchObject({ id: 'v1@1', price: 100, amount: 1, fee: { currency: 'USDT', cost: 0.1 } });
    expect(r.positionMismatches).toEqual([]);
    expect(r.passed).toBe(true);
    const again = await rec.reconcile();
    expect(again.fillsImported.length + again.pendingResolved.length + again.ordersUpdated.length, 'a second run changes nothing').toBe(0);
  });

  it('rejects an intent the exchange never received', async () => {
    const { store, rec } = setup();
    await store.saveOrder(intent());
    const r = await rec.reconcile();
    expect(r.pendingResolved).toEqual([{ clientOrderId: 'c1', outcome: 'not-sent', status: 'rejected' }]);
    expect((await store.getOrder('c1'))?.status).toBe('rejected');
    expect(r.passed).toBe(true);
  });

  it('leaves a fresh intent alone within the grace period and does not pass', async () => {
    const { store, gate, rec } = setup();
    await store.saveOrder(intent({ updatedAt: 9_990 }));
    const r = await rec.reconcile({ pendingGraceMs: 1_000 });
    expect(r.pendingUnresolved.length).toBe(1);
    expect((await store.getOrder('c1'))?.status).toBe('pending_submit');
    expect(gate.allows('entry')).toBe(false);
    expect([...gate.reasons.values()][0]).toMatch(/1 intents unresolved/);
  });

  it('cannot settle an intent without a client-id lookup unless it is open', async () => {
    const { venue, store, rec } = setup({ noClientLookup: true });
    await store.saveOrder(intent());
    await store.saveOrder(intent({ clientOrderId: 'c2' }));
    venue.put(venueOrder({ id: 'v2', clientOrderId: 'c2', status: 'open' }));
    const r = await rec.reconcile();
    expect(r.pendingResolved).toEqual([{ clientOrderId: 'c2', outcome: 'sent', status: 'open' }]);
    expect(r.pendingUnresolved.map((p) => p.clientOrderId)).toEqual(['c1']);
    expect(r.passed).toBe(false);
  });

  it('imports partial fills missed while down, with the engine tracker fill ids', async () => {
    const { venue, store, rec } = setup();
    await store.saveOrder({ ...venueOrder({ status: 'partially_filled', filled: 0.4, average: 100, fees: [{ currency: 'USDT', cost: 0.04 }] }), userId: 'u1', strategyId: 's1' });
    await store.saveFill('u1', { id: 'v1@0.4', orderId: 'v1', clientOrderId: 'c1', symbol: 'BTC/USDT', side: 'buy', price: 100, amount: 0.4, fee: { currency: 'USDT', cost: 0.04 }, liquidity: 'taker', time: 1_500 });
    venue.put(venueOrder({ status: 'partially_filled', filled: 0.9, average: 105, fees: [{ currency: 'USDT', cost: 0.09 }], updatedAt: 3_000 }));
    venue.balances = { BTC: 0.9 };
    const r = await rec.reconcile();
    expect(r.ordersUpdated).toEqual([{ clientOrderId: 'c1', from: 'partially_filled', to: 'partially_filled', filled: 0.9 }]);
    const f = (await store.listFills('u1', 'c1'))[1];
    expect(f?.id).toBe('v1@0.9');
    expect(f?.amount).toBeCloseTo(0.5, 12);
    expect(f?.price, 'price of the missing part from the two averages').toBeCloseTo((105 * 0.9 - 100 * 0.4) / 0.5, 9);
    expect(f?.fee.cost).toBeCloseTo(0.05, 12);
    expect(r.openOrders.map((o) => o.clientOrderId), 'still open: the engine must keep tracking it').toEqual(['c1']);
  });

  it('imports the fill of an order stored as filled whose fill write was lost', async () => {
    const { venue, store, rec } = setup();
    await store.saveOrder({ ...venueOrder({ status: 'filled', filled: 1, average: 100 }), userId: 'u1', strategyId: 's1' });
    venue.put(venueOrder({ status: 'filled', filled: 1, average: 100 }));
    venue.balances = { BTC: 1 };
    const r = await rec.reconcile();
    expect(r.fillsImported.map((f) => f.fillId)).toEqual(['v1@1']);
    expect(r.positionMismatches).toEqual([]);
  });

  it('adopts unknown open orders as external', async () => {
    const { venue, store, rec } = setup();
    venue.put(venueOrder({ id: 'v9', clientOrderId: 'manual-1', status: 'open', side: 'sell', type: 'limit', price: 120 }));
    const r = await rec.reconcile();
    expect(r.adopted).toEqual(['manual-1']);
    expect((await store.getOrder('manual-1'))?.strategyId).toBe('external');
  });

  it('flags position mismatches beyond one step, and blocks on them only when asked', async () => {
    const a = setup();
    await a.store.saveFill('u1', { id: 'v1@1', orderId: 'v1', clientOrderId: 'c1', symbol: 'BTC/USDT', side: 'buy', price: 100, amount: 1, fee: { currency: 'BTC', cost: 0.001 }, liquidity: 'taker', time: 1 });
    a.venue.balances = { BTC: 0.999 };
    expect((await a.rec.reconcile()).positionMismatches, 'base fee netted: 1 - 0.001 held').toEqual([]);
    a.venue.balances = { BTC: 0.9975 };
    const r = await a.rec.reconcile();
    expect(r.positionMismatches).toEqual([{ currency: 'BTC', store: 0.999, exchange: 0.9975, tolerance: 0.001 + 1e-12 }]);
    expect(r.passed, 'reported, not blocking by default').toBe(true);
    const b = setup({ blockOnMismatch: true });
    await b.store.saveFill('u1', { id: 'x@1', orderId: 'x', clientOrderId: 'c', symbol: 'BTC/USDT', side: 'buy', price: 1, amount: 1, fee: { currency: 'USDT', cost: 0 }, liquidity: 'taker', time: 1 });
    expect((await b.rec.reconcile()).passed).toBe(false);
    expect(b.gate.allows('entry')).toBe(false);
  });

  it('does not pass when the exchange fails, and says why', async () => {
    const { venue, gate, rec } = setup();
    venue.failOpenOrders = true;
    const r = await rec.reconcile();
    expect(r.passed).toBe(false);
    expect(r.errors[0]).toEqual({ step: 'fetchOpenOrders', message: 'venue down' });
    expect(gate.allows('entry')).toBe(false);
  });

  it('reports a stored order the exchange does not know as a conflict', async () => {
    const { store, rec } = setup();
    await store.saveOrder({ ...venueOrder({ id: 'gone', status: 'open' }), userId: 'u1', strategyId: 's1' });
    const r = await rec.reconcile();
    expect(r.errors[0]?.message).toMatch(/not found/);
    expect(r.passed).toBe(false);
  });
});

describe('netBaseAmount', () => {
  it('nets base-currency fees so the exit never asks for more than is held', () => {
    const buy = { id: 'a', orderId: 'a', clientOrderId: 'a', symbol: 'BTC/USDT', side: 'buy' as const, price: 100, amount: 0.5, fee: { currency: 'BTC', cost: 0.0005 }, liquidity: 'taker' as const, time: 1 };
    const held = netBaseAmount([buy], 'BTC');
    expect(held).toBeCloseTo(0.4995, 12);
    const sell = floorToStep(held, 0.001);
    expect(sell).toBe(0.499);
    expect(sell <= held, 'no dust failure: the sell fits in the balance').toBe(true);
    expect(netBaseAmount([buy, { ...buy, id: 'b', side: 'sell', amount: sell, fee: { currency: 'USDT', cost: 0.05 } }], 'BTC')).toBeCloseTo(0.0005, 12);
    expect(netBaseAmount([buy], 'ETH')).toBe(0);
  });
});

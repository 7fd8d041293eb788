import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryTradeStore, Portfolio, deriveFill } from '../src';
import type { Fill, Order, OrderStatus, StoredOrder } from '../src';

const RANK: Record<OrderStatus, number> = { pending_submit: 0, submitted: 1, open: 2, partially_filled: 3, filled: 4, canceled: 4, rejected: 4, expired: 4 };

type Event = { kind: 'order'; order: StoredOrder } | { kind: 'fill'; fill: Fill };

/**
 * One order's true life on the venue: an ack, cumulative partial fills in lots of 0.001,
 * and an end (filled, or canceled/expired with what was filled so far). Returns every
 * snapshot the venue could report and the fills between consecutive snapshots.
 */
const lifeArb = fc
  .record({
    lots: fc.integer({ min: 1, max: 2_000 }),
    cuts: fc.uniqueArray(fc.integer({ min: 1, max: 1_999 }), { maxLength: 5 }),
    end: fc.constantFrom<OrderStatus>('filled', 'canceled', 'expired', 'rejected'),
    baseFee: fc.boolean(),
  })
  .map(({ lots, cuts, end, baseFee }) => {
    const amount = lots / 1000;
    const base: StoredOrder = {
      id: '',
      clientOrderId: 'c1',
      userId: 'u1',
      strategyId: 's',
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      purpose: 'entry',
      status: 'pending_submit',
      amount,
      price: 100,
      filled: 0,
      average: 0,
      fees: [],
      createdAt: 0,
      updatedAt: 0,
    };
    const steps = [...cuts.filter((c) => c < lots)].sort((a, b) => a - b);
    if (end === 'filled') steps.push(lots);
    if (end === 'rejected') steps.length = 0;
    const snaps: StoredOrder[] = [];
    if (end !== 'rejected') snaps.push({ ...base, id: 'v1', status: 'open', updatedAt: 1 });
    let value = 0;
    let feeCost = 0;
    let prevFilled = 0;
    for (const [i, lot] of steps.entries()) {
      const filled = lot / 1000;
      const price = 100 + i;
      value += price * (filled - prevFilled);
      feeCost += (baseFee ? (filled - prevFilled) : price * (filled - prevFilled)) * 0.001;
      prevFilled = filled;
      snaps.push({
        ...base,
        id: 'v1',
        status: lot === lots ? 'filled' : 'partially_filled',
        filled,
        average: value / filled,
        fees: [{ currency: baseFee ? 'BTC' : 'USDT', cost: feeCost }],
        updatedAt: 2 + i,
      });
    }
    if (end !== 'filled') snaps.push({ ...(snaps.at(-1) ?? base), id: end === 'rejected' ? '' : 'v1', status: end, updatedAt: 100 });
    const fills: Fill[] = [];
    for (let i = 1; i < snaps.length; i++) {
      const f = deriveFill(snaps[i - 1] as Order, snaps[i] as Order);
      if (f) fills.push(f);
    }
    return { base, snaps, fills, truth: snaps.at(-1) as StoredOrder };
  });

describe('order lifecycle under random interleavings', () => {
  it('never goes backwards, keeps 0 ≤ filled ≤ amount, and position = sum of fills (10,000 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(
        lifeArb.chain((life) => {
          const events: Event[] = [...life.snaps.map((order) => ({ kind: 'order' as const, order })), ...life.fills.map((fill) => ({ kind: 'fill' as const, fill }))];
          return fc.record({
            life: fc.constant(life),
            // Every event at least once, some twice, in any order; the intent is stored first.
            order: fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
            dupes: fc.array(fc.nat({ max: Math.max(0, events.length - 1) }), { maxLength: 6 }),
            lateIntent: fc.boolean(),
          });
        }),
        async ({ life, order, dupes, lateIntent }) => {
          const store = new MemoryTradeStore();
          const portfolio = new Portfolio('u1', 'USDT', 1e9);
          await store.saveOrder(life.base);
          const events = [...order];
          for (const d of dupes) events.splice(d % (events.length + 1), 0, order[d % order.length] as Event);
          if (lateIntent) events.push({ kind: 'order', order: life.base });
          let lastRank = 0;
          let lastFilled = 0;
          let lastStatus: OrderStatus = 'pending_submit';
          let position = 0;
          for (const ev of events) {
            if (ev.kind === 'order') await store.saveOrder(ev.order);
            else if (await store.saveFill('u1', ev.fill)) {
              position += ev.fill.amount - (ev.fill.fee.currency === 'BTC' ? ev.fill.fee.cost : 0);
              portfolio.applyFill(ev.fill, 'BTC', { dustAmount: 0.001, strategyId: 's' });
            }
            const o = (await store.getOrder('c1')) as StoredOrder;
            // Plain checks: expect() in a 10,000-run inner loop costs more than the test itself.
            if (RANK[o.status] < lastRank) throw new Error(`status went back to ${o.status}`);
            if (lastRank === 4 && o.status !== lastStatus) throw new Error(`terminal ${lastStatus} changed to ${o.status}`);
            if (o.filled < lastFilled) throw new Error(`filled went back from ${lastFilled} to ${o.filled}`);
            if (!(o.filled >= 0 && o.filled <= o.amount)) throw new Error(`filled ${o.filled} outside [0, ${o.amount}]`);
            lastRank = RANK[o.status];
            lastFilled = o.filled;
            lastStatus = o.status;
          }
          const final = (await store.getOrder('c1')) as StoredOrder;
          expect(final.status).toBe(life.truth.status);
          expect(final.filled).toBe(life.truth.filled);
          const fills = await store.listFills('u1');
          expect(fills.length, 'each fill stored once').toBe(life.fills.length);
          const sum = fills.reduce((s, f) => s + f.amount - (f.fee.currency === 'BTC' ? f.fee.cost : 0), 0);
          expect(position).toBeCloseTo(sum, 9);
          expect(portfolio.amountHeld('BTC/USDT')).toBeCloseTo(sum, 9);
          const gross = fills.reduce((s, f) => s + f.amount, 0);
          expect(gross, 'fills add up to what the venue filled').toBeCloseTo(life.truth.filled, 9);
        },
      ),
      { numRuns: 10_000, seed: 20240607 },
    );
  }, 60_000);
});

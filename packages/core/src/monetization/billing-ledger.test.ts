import { describe, expect, it } from 'vitest';
import type { Trade } from '../domain/position';
import { BillingLedger } from './billing-ledger';

let seq = 0;
function trade(pnl: number, exitTime: number, userId = 'alice', id = `t${++seq}`): Trade {
  return {
    id,
    userId,
    symbol: 'BTC/USDT',
    side: 'long',
    strategyId: 'ma-cross',
    entryTime: exitTime - 3_600_000,
    entryPrice: 100,
    exitTime,
    exitPrice: 100 + pnl,
    amount: 1,
    pnl,
    pnlPct: pnl,
    fees: 0.1,
  };
}

describe('BillingLedger high-water mark', () => {
  it('charges the tier rate on new profit and moves the mark up', () => {
    const l = new BillingLedger('alice');
    l.bookTrades([trade(100, 1)]);
    const c = l.settle({ deposit: 500, time: 10 });
    expect(c?.amount).toBeCloseTo(30, 10);
    expect(c?.rate).toBe(0.3);
    expect(c?.highWaterMarkBefore).toBe(0);
    expect(l.highWaterMark).toBe(100);
  });

  it('charges nothing after a loss, nothing while recovering, and only the part above the old peak', () => {
    const l = new BillingLedger('alice');
    l.bookTrades([trade(100, 1)]);
    expect(l.settle({ deposit: 2_000, time: 10 })?.amount).toBeCloseTo(25, 10);

    l.bookTrades([trade(-60, 11)]);
    expect(l.settle({ deposit: 2_000, time: 20 }), 'after a loss there is nothing above the mark').toBeUndefined();

    l.bookTrades([trade(40, 21)]);
    expect(l.cumulativePnl).toBeCloseTo(80, 10);
    expect(l.settle({ deposit: 2_000, time: 30 }), 'recovering the loss is not new profit').toBeUndefined();

    l.bookTrades([trade(50, 31)]);
    const c = l.settle({ deposit: 2_000, time: 40 });
    expect(c?.chargeableProfit, 'only 130 - 100 is new').toBeCloseTo(30, 10);
    expect(c?.amount).toBeCloseTo(7.5, 10);
    expect(l.highWaterMark).toBeCloseTo(130, 10);
    expect(l.commissionCharged, '25 + 7.5: the first 100 was charged once').toBeCloseTo(32.5, 10);
  });

  it('never charges when the user starts with a loss until it is won back', () => {
    const l = new BillingLedger('alice');
    l.bookTrades([trade(-50, 1), trade(30, 2)]);
    expect(l.settle({ deposit: 100, time: 3 })).toBeUndefined();
    l.bookTrades([trade(30, 4)]);
    expect(l.settle({ deposit: 100, time: 5 })?.amount).toBeCloseTo(0.3 * 10, 10);
  });

  it('uses the deposit at settlement time for the tier', () => {
    const l = new BillingLedger('alice');
    l.bookTrades([trade(100, 1)]);
    expect(l.settle({ deposit: 5_000.01, time: 2 })?.amount).toBeCloseTo(20, 10);
  });

  it('books each trade once, whatever the order or repetition', () => {
    const l = new BillingLedger('alice');
    const a = trade(10, 5);
    const b = trade(20, 3);
    expect(l.bookTrades([a, b, a])).toBe(2);
    expect(l.bookTrades([b, a])).toBe(0);
    expect(l.entries.map((e) => (e.kind === 'trade' ? e.tradeId : '')), 'booked in exit order').toEqual([b.id, a.id]);
    expect(l.settle({ deposit: 0, time: 6 })?.amount).toBeCloseTo(9, 10);
    expect(l.settle({ deposit: 0, time: 7 }), 'settling again charges nothing').toBeUndefined();
  });

  it('refuses trades of another user', () => {
    const l = new BillingLedger('alice');
    expect(() => l.bookTrades([trade(10, 1, 'bob')])).toThrow(/bob/);
  });

  it('tracks payments and the outstanding amount, and survives a JSON round trip', () => {
    const l = new BillingLedger('alice');
    l.bookTrades([trade(200, 1)]);
    l.settle({ deposit: 1_000, time: 2 });
    l.recordPayment(20, 3, 'bank transfer');
    expect(l.outstanding).toBeCloseTo(30, 10);
    expect(() => l.recordPayment(-1, 4)).toThrow();
    const copy = BillingLedger.fromJSON(JSON.parse(JSON.stringify(l)));
    expect(copy.toJSON()).toEqual(l.toJSON());
    expect(copy.hasTrade(l.entries[0]?.kind === 'trade' ? l.entries[0].tradeId : '')).toBe(true);
    copy.bookTrades([trade(-300, 5), trade(350, 6)]);
    expect(copy.settle({ deposit: 1_000, time: 7 })?.chargeableProfit, 'the mark was restored from JSON').toBeCloseTo(50, 10);
    expect(() => BillingLedger.fromJSON({ version: 2 } as never)).toThrow(/ledger/);
  });
});

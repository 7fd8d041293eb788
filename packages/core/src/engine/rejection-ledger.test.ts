import { describe, expect, it } from 'vitest';
import { type OrderRejection, RejectionLedger } from './rejection-ledger';

const rej = (time: number, code = 'INSUFFICIENT_FUNDS', symbol = 'A/USDT'): OrderRejection => ({ time, symbol, side: 'sell', purpose: 'exit', code, reason: `${code} at ${time}` });

describe('RejectionLedger', () => {
  it('pauses a symbol after the same code 3 times in a row, and only then', () => {
    const l = new RejectionLedger({ pauseMs: 100 });
    expect(l.record(rej(1))).toBeUndefined();
    expect(l.record(rej(2, 'ORDER_BELOW_MINIMUM')), 'another code restarts the streak').toBeUndefined();
    expect(l.record(rej(3, 'ORDER_BELOW_MINIMUM'))).toBeUndefined();
    const pause = l.record(rej(4, 'ORDER_BELOW_MINIMUM'));
    expect(pause).toMatchObject({ symbol: 'A/USDT', code: 'ORDER_BELOW_MINIMUM', repeats: 3, from: 4, until: 104 });
    expect(l.pauseOf('A/USDT', 103)).toBe(pause);
    expect(l.pauseOf('B/USDT', 50), 'other symbols trade on').toBeUndefined();
    expect(l.pauseOf('A/USDT', 104), 'the pause ends').toBeUndefined();
  });

  it('doubles each further pause of a symbol until an order is accepted', () => {
    const l = new RejectionLedger({ pauseMs: 10, repeats: 1 });
    expect(l.record(rej(0))?.until).toBe(10);
    expect(l.record(rej(10))?.until).toBe(30);
    expect(l.record(rej(30))?.until).toBe(70);
    l.accepted('A/USDT');
    expect(l.record(rej(70))?.until).toBe(80);
  });

  it('counts every rejection by symbol and code, most frequent first', () => {
    const l = new RejectionLedger({ pauseMs: 10, repeats: 100 });
    for (let i = 0; i < 5; i++) l.record(rej(i));
    l.record(rej(9, 'ORDER_INVALID', 'B/USDT'));
    expect(l.total).toBe(6);
    expect(l.rejectionCounts).toEqual([
      { symbol: 'A/USDT', code: 'INSUFFICIENT_FUNDS', count: 5 },
      { symbol: 'B/USDT', code: 'ORDER_INVALID', count: 1 },
    ]);
    expect(l.rejections).toHaveLength(6);
  });
});

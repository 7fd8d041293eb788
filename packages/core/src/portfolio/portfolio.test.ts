import { describe, expect, it } from 'vitest';
import type { Fill } from '../domain/order';
import { Portfolio } from './portfolio';

const fill = (over: Partial<Fill>): Fill => ({
  id: 'f',
  orderId: 'o',
  clientOrderId: 'c',
  symbol: 'BTC/USDT',
  side: 'buy',
  price: 100,
  amount: 1,
  fee: { currency: 'USDT', cost: 0 },
  liquidity: 'taker',
  time: 0,
  ...over,
});
const ctx = { dustAmount: 1e-6, strategyId: 's' };

describe('Portfolio', () => {
  it('accounts a round trip with quote fees: cash, average entry, realized pnl', () => {
    const p = new Portfolio('u', 'USDT', 1000);
    expect(p.applyFill(fill({ id: 'a', price: 100, amount: 2, fee: { currency: 'USDT', cost: 0.2 } }), 'BTC', ctx).opened).toBe(true);
    p.applyFill(fill({ id: 'b', price: 110, amount: 1, fee: { currency: 'USDT', cost: 0.11 } }), 'BTC', ctx);
    expect(p.cash).toBeCloseTo(1000 - 200.2 - 110.11, 10);
    const pos = p.positions.get('BTC/USDT');
    expect(pos?.amount).toBe(3);
    expect(pos?.avgEntryPrice).toBeCloseTo(310 / 3, 10);
    p.mark('BTC/USDT', 120);
    expect(p.equity()).toBeCloseTo(1000 - 310.31 + 360, 10);
    expect(pos && p.positions.get('BTC/USDT')?.unrealizedPnl).toBeCloseTo(360 - 310.31, 10);

    const half = p.applyFill(fill({ id: 'c', side: 'sell', price: 120, amount: 1.5, fee: { currency: 'USDT', cost: 0.18 } }), 'BTC', ctx);
    expect(half.closed).toBeUndefined();
    expect(p.positions.get('BTC/USDT')?.realizedPnl).toBeCloseTo(180 - 0.18 - 310.31 / 2, 10);
    const done = p.applyFill(fill({ id: 'd', side: 'sell', price: 90, amount: 1.5, fee: { currency: 'USDT', cost: 0.135 } }), 'BTC', ctx);
    const t = done.closed;
    expect(t, 'selling everything closes the round trip').toBeDefined();
    expect(t?.pnl).toBeCloseTo(180 - 0.18 + 135 - 0.135 - 310.31, 10);
    expect(t?.entryPrice).toBeCloseTo(310 / 3, 10);
    expect(t?.exitPrice).toBeCloseTo((180 + 135) / 3, 10);
    expect(t?.fees).toBeCloseTo(0.2 + 0.11 + 0.18 + 0.135, 10);
    expect(p.cash, 'cash after the round trip = start + pnl').toBeCloseTo(1000 + (t?.pnl ?? 0), 10);
    expect(p.positions.size).toBe(0);
  });

  it('handles a base-currency fee so the position holds what was received', () => {
    const p = new Portfolio('u', 'USDT', 1000);
    p.applyFill(fill({ id: 'a', price: 100, amount: 1, fee: { currency: 'BTC', cost: 0.001 } }), 'BTC', ctx);
    expect(p.amountHeld('BTC/USDT')).toBeCloseTo(0.999, 12);
    expect(p.cash).toBe(900);
    const out = p.applyFill(fill({ id: 'b', side: 'sell', price: 100, amount: 0.999, fee: { currency: 'USDT', cost: 0.0999 } }), 'BTC', ctx);
    expect(out.closed?.pnl).toBeCloseTo(99.9 - 0.0999 - 100, 10);
    expect(out.closed?.fees).toBeCloseTo(0.1 + 0.0999, 10);
  });

  it('keeps dust below the threshold out of positions but in equity', () => {
    const p = new Portfolio('u', 'USDT', 1000);
    p.applyFill(fill({ id: 'a', price: 100, amount: 1.0000004 }), 'BTC', ctx);
    const out = p.applyFill(fill({ id: 'b', side: 'sell', price: 100, amount: 1 }), 'BTC', ctx);
    expect(out.closed).toBeDefined();
    expect(p.hasPosition('BTC/USDT')).toBe(false);
    expect(p.equity()).toBeCloseTo(1000, 6);
  });

  it('refuses a sell with nothing held', () => {
    const p = new Portfolio('u', 'USDT', 1000);
    expect(() => p.applyFill(fill({ side: 'sell' }), 'BTC', ctx)).toThrow(/no position/);
  });
});

describe('Portfolio.restorePositions', () => {
  it('rebuilds what is still open from past fills without touching cash', () => {
    const p = new Portfolio('u', 'USDT', 500);
    p.restorePositions(
      [
        fill({ id: 'a', time: 1, price: 100, amount: 1 }),
        fill({ id: 'b', time: 2, side: 'sell', price: 110, amount: 1 }),
        fill({ id: 'c', time: 3, price: 120, amount: 2, fee: { currency: 'USDT', cost: 0.24 } }),
        fill({ id: 'd', time: 1, symbol: 'ETH/USDT', price: 10, amount: 5 }),
        fill({ id: 'e', time: 4, symbol: 'ETH/USDT', side: 'sell', price: 11, amount: 2 }),
      ],
      (s) => ({ base: s.split('/')[0] as string, dustAmount: 1e-6 }),
      's',
    );
    expect(p.cash, 'cash comes from the exchange balance').toBe(500);
    expect(p.amountHeld('BTC/USDT'), 'the closed round trip is not restored').toBe(2);
    expect(p.positions.get('BTC/USDT')?.costBasis).toBeCloseTo(240.24, 10);
    expect(p.amountHeld('ETH/USDT')).toBe(3);
    const out = p.applyFill(fill({ id: 'f', symbol: 'ETH/USDT', side: 'sell', price: 12, amount: 3 }), 'ETH', ctx);
    expect(out.closed?.pnl, 'the restored trip closes with its full history').toBeCloseTo(22 + 36 - 50, 10);
  });
});

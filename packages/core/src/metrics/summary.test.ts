import { describe, expect, it } from 'vitest';
import type { Trade } from '../domain/position';
import { maxDrawdown, summarize } from './summary';

const trade = (pnl: number, fees = 1): Trade => ({
  id: String(pnl),
  userId: 'u',
  symbol: 'BTC/USDT',
  side: 'long',
  strategyId: 's',
  entryTime: 0,
  entryPrice: 1,
  exitTime: 1,
  exitPrice: 1,
  amount: 1,
  pnl,
  pnlPct: 0,
  fees,
});

describe('metrics', () => {
  it('computes drawdown on equity from the running peak', () => {
    const dd = maxDrawdown([
      { time: 1, equity: 100, cash: 0 },
      { time: 2, equity: 120, cash: 0 },
      { time: 3, equity: 90, cash: 0 },
      { time: 4, equity: 130, cash: 0 },
      { time: 5, equity: 117, cash: 0 },
    ]);
    expect(dd.maxDrawdownPct).toBeCloseTo(25, 10);
    expect(dd.maxDrawdown).toBe(30);
    expect(dd.peakTime).toBe(2);
    expect(dd.troughTime).toBe(3);
  });
  it('summarises wins, losses and profit factor', () => {
    const s = summarize([trade(30), trade(-10), trade(20), trade(-20)], [], 1000);
    expect(s.netProfit).toBe(20);
    expect(s.returnPct).toBe(2);
    expect(s.winRate).toBe(50);
    expect(s.profitFactor).toBeCloseTo(50 / 30, 12);
    expect(s.fees).toBe(4);
  });
  it('gives defined values for degenerate inputs', () => {
    const none = summarize([], [], 1000);
    expect(none).toMatchObject({ trades: 0, netProfit: 0, winRate: 0, profitFactor: 0, maxDrawdownPct: 0, endEquity: 1000 });
    expect(summarize([trade(5)], [], 1000).profitFactor, 'no losses: infinite profit factor is null').toBeNull();
  });
});

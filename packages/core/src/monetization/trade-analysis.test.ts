import { describe, expect, it } from 'vitest';
import type { Trade } from '../domain/position';
import { analyzeUserTrades, tradeStats } from './trade-analysis';

function t(id: string, pnl: number, opts: Partial<Trade> = {}): Trade {
  return {
    id,
    userId: 'alice',
    symbol: 'BTC/USDT',
    side: 'long',
    strategyId: 'ma-cross',
    entryTime: 0,
    entryPrice: 100,
    exitTime: 1_000,
    exitPrice: 100,
    amount: 1,
    pnl,
    pnlPct: pnl,
    fees: 1,
    ...opts,
  };
}

describe('trade analysis', () => {
  it('computes realized PnL, win rate and profit factor by hand-checkable numbers', () => {
    const s = tradeStats([t('a', 30), t('b', -10), t('c', 20), t('d', 0), t('e', -5)]);
    expect(s.trades).toBe(5);
    expect(s.realizedPnl).toBe(35);
    expect(s.winRate, '2 wins out of 5; break-even is not a win').toBe(40);
    expect(s.profitFactor).toBeCloseTo(50 / 15, 12);
    expect(s.averageWin).toBe(25);
    expect(s.averageLoss).toBe(-7.5);
    expect(s.largestWin).toBe(30);
    expect(s.largestLoss).toBe(-10);
    expect(s.fees).toBe(5);
  });

  it('is defined for no trades and for wins only', () => {
    expect(tradeStats([])).toMatchObject({ trades: 0, winRate: 0, profitFactor: 0, realizedPnl: 0 });
    expect(tradeStats([t('a', 5)]).profitFactor, 'no losses: infinite, reported as null').toBeNull();
  });

  it('analyzes one user with breakdowns by symbol and strategy', () => {
    const trades = [
      t('a', 10, { symbol: 'ETH/USDT', exitTime: 5 }),
      t('b', -4, { strategyId: 'rsi', exitTime: 9 }),
      t('c', 100, { userId: 'bob' }),
    ];
    const a = analyzeUserTrades('alice', trades);
    expect(a.trades).toBe(2);
    expect(a.realizedPnl).toBe(6);
    expect(a.firstExit).toBe(5);
    expect(a.lastExit).toBe(9);
    expect(Object.keys(a.bySymbol)).toEqual(['BTC/USDT', 'ETH/USDT']);
    expect(a.bySymbol['ETH/USDT']?.realizedPnl).toBe(10);
    expect(a.byStrategy['rsi']?.losses).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import type { Trade } from '../domain/position';
import type { EquityPoint } from '../events/event-map';
import { byMonth, bySymbol, exposurePct } from './breakdowns';
import { drawdownStats } from './drawdown-stats';
import { performanceMetrics } from './performance-metrics';
import { normalCdf, probabilisticSharpe } from './probabilistic-sharpe';
import { cagrPct, periodReturns, periodsPerYear, sharpeRatio, sortinoRatio } from './risk-adjusted';
import { tradeMetrics } from './trade-metrics';

const H = 3_600_000;
const D = 24 * H;
const JAN1 = Date.UTC(2024, 0, 1);
const FEB1 = Date.UTC(2024, 1, 1);

const trade = (symbol: string, entry: number, hours: number, pnl: number, pnlPct: number): Trade => ({
  id: `${symbol}${entry}`,
  userId: 'u',
  symbol,
  side: 'long',
  strategyId: 's',
  entryTime: entry,
  entryPrice: 1,
  exitTime: entry + hours * H,
  exitPrice: 1,
  amount: 1,
  pnl,
  pnlPct,
  fees: 1,
});

// Exit order: W(30) L(-10) W(20) L(-20) L(-5).
const TRADES = [
  trade('BTC/USDT', JAN1, 2, 30, 3),
  trade('ETH/USDT', JAN1 + H, 4, -10, -1),
  trade('BTC/USDT', FEB1, 1, 20, 2),
  trade('BTC/USDT', FEB1 + D, 3, -20, -2),
  trade('ETH/USDT', FEB1 + 2 * D, 2, -5, -0.5),
];

// Daily curve: 100 → 110 → 99 → 121 → 115.
const CURVE: EquityPoint[] = [100, 110, 99, 121, 115].map((equity, i) => ({ time: JAN1 + i * D, equity, cash: equity }));

describe('trade metrics (hand-computed)', () => {
  const m = tradeMetrics(TRADES);
  it('counts, sums and ratios', () => {
    expect(m).toMatchObject({ trades: 5, wins: 2, losses: 3, netProfit: 15, grossProfit: 50, grossLoss: 35, winRate: 40, expectancy: 3, avgWin: 25, fees: 5 });
    expect(m.profitFactor).toBeCloseTo(50 / 35, 12);
    expect(m.avgLoss).toBeCloseTo(35 / 3, 12);
    // 3 / (35/3) = (1 + 25/(35/3))·0.4 − 1 = 0.257142857…
    expect(m.expectancyRatio).toBeCloseTo(0.2571428571, 9);
    // deviations 27, −13, 17, −23, −8 → Σd² = 1780, s = √445; SQN = √5·3/√445
    expect(m.sqn).toBeCloseTo(0.317999364, 8);
  });
  it('best/worst/average trade, durations and streaks', () => {
    expect(m.avgTradePct).toBeCloseTo(0.3, 12);
    expect(m.bestTradePct).toBe(3);
    expect(m.worstTradePct).toBe(-2);
    expect(m.avgWinnerDuration, 'winners held 2h and 1h').toBe(1.5 * H);
    expect(m.avgLoserDuration, 'losers held 4h, 3h, 2h').toBe(3 * H);
    expect(m.maxConsecutiveWins).toBe(1);
    expect(m.maxConsecutiveLosses).toBe(2);
  });
  it('degenerate: no trades and no losses give defined values', () => {
    const none = tradeMetrics([]);
    for (const [k, v] of Object.entries(none)) expect(Number.isNaN(v), k).toBe(false);
    expect(none).toMatchObject({ trades: 0, winRate: 0, profitFactor: 0, expectancy: 0, expectancyRatio: 0, sqn: 0, bestTradePct: 0, worstTradePct: 0 });
    const allWins = tradeMetrics([trade('BTC/USDT', JAN1, 1, 10, 1), trade('BTC/USDT', JAN1 + D, 1, 10, 1)]);
    expect(allWins.profitFactor, 'infinite profit factor is null').toBeNull();
    expect(allWins.expectancyRatio).toBeNull();
    expect(allWins.sqn, 'identical pnl: no spread').toBe(0);
    expect(allWins.maxConsecutiveWins).toBe(2);
  });
});

describe('equity metrics (hand-computed)', () => {
  it('drawdown: depth, start, end, recovery, duration, time under water', () => {
    const dd = drawdownStats(CURVE);
    expect(dd.maxDrawdown).toBe(11);
    expect(dd.maxDrawdownPct).toBeCloseTo(10, 12);
    expect(dd.start).toBe(JAN1 + D);
    expect(dd.end).toBe(JAN1 + 2 * D);
    expect(dd.recovery).toBe(JAN1 + 3 * D);
    expect(dd.duration).toBe(2 * D);
    expect(dd.longestUnderWater, '110 at day 1 regained at day 3').toBe(2 * D);
    expect(dd.timeUnderWaterPct, 'one of four days starts below the peak').toBeCloseTo(25, 12);
    expect(drawdownStats([])).toMatchObject({ maxDrawdown: 0, maxDrawdownPct: 0, duration: 0 });
    const up = drawdownStats([100, 101, 102].map((equity, i) => ({ time: i, equity, cash: 0 })));
    expect(up).toMatchObject({ maxDrawdownPct: 0, start: undefined, longestUnderWater: 0, timeUnderWaterPct: 0 });
  });
  it('Sharpe, Sortino, CAGR, PSR with 365.25 daily periods', () => {
    const r = periodReturns(CURVE);
    expect(Array.from(r)).toEqual([0.10000000000000009, -0.09999999999999998, 22 / 99, 115 / 121 - 1].map((x) => expect.closeTo(x, 14)));
    expect(periodsPerYear(CURVE)).toBeCloseTo(365.25, 9);
    // mean 0.0431588613, s = 0.1465046248 → 0.0431588613/0.1465046248·√365.25
    expect(sharpeRatio(r, 365.25)).toBeCloseTo(5.6300695, 6);
    // DD = √((0.1² + (6/121)²)/4)
    expect(sortinoRatio(r, 365.25)).toBeCloseTo(14.7793772, 6);
    expect(cagrPct(100, 115, 4 * D)).toBeCloseTo(34871473.7349, 3);
    // SR 0.29459, skew 0.26847, kurt 1.47850 → z = SR·√3/√(1 − γ3·SR + (γ4−1)/4·SR²)
    expect(probabilisticSharpe(r)).toBeCloseTo(0.7015046, 5);
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021, 6);
  });
  it('degenerate curves give 0 or null, never NaN', () => {
    const flat: EquityPoint[] = [1, 2, 3].map((i) => ({ time: i * D, equity: 100, cash: 100 }));
    const pm = performanceMetrics({ trades: [], equityCurve: flat, startEquity: 100 });
    expect(pm).toMatchObject({ sharpe: 0, sortino: 0, calmar: 0, cagrPct: 0, probabilisticSharpe: 0, exposurePct: 0, commissionDue: 0, netProfitPct: 0 });
    const empty = performanceMetrics({ trades: [], equityCurve: [], startEquity: 0 });
    const walk = (o: unknown): void => {
      if (typeof o === 'number') expect(Number.isNaN(o)).toBe(false);
      else if (o && typeof o === 'object') for (const v of Object.values(o)) walk(v);
    };
    walk(empty);
    walk(pm);
    const rising = performanceMetrics({ trades: [], equityCurve: [100, 110, 121].map((equity, i) => ({ time: i * D, equity, cash: 0 })), startEquity: 100 });
    expect(rising.sortino, 'no downside: infinite').toBeNull();
    expect(rising.calmar, 'no drawdown: infinite').toBeNull();
  });
});

describe('breakdowns and commission', () => {
  it('per-symbol and per-month tables', () => {
    const sym = bySymbol(TRADES);
    expect(sym.map((s) => s.symbol)).toEqual(['BTC/USDT', 'ETH/USDT']);
    expect(sym[0]).toMatchObject({ trades: 3, netProfit: 30, avgTradePct: 1, fees: 3 });
    expect(sym[0]?.winRate).toBeCloseTo(200 / 3, 10);
    expect(sym[1]).toMatchObject({ trades: 2, netProfit: -15, winRate: 0, avgTradePct: -0.75 });
    const curve: EquityPoint[] = [
      [JAN1, 1000],
      [JAN1 + 14 * D, 1100],
      [JAN1 + 30 * D, 1050],
      [FEB1 + 9 * D, 1200],
      [FEB1 + 27 * D, 1155],
    ].map(([time, equity]) => ({ time: time as number, equity: equity as number, cash: 0 }));
    const months = byMonth(curve, TRADES, 1000);
    expect(months.map((m) => m.month)).toEqual(['2024-01', '2024-02']);
    expect(months[0]?.returnPct).toBeCloseTo(5, 10);
    expect(months[1]?.returnPct).toBeCloseTo(10, 10);
    expect(months[0]).toMatchObject({ trades: 2, netProfit: 20 });
    expect(months[1]).toMatchObject({ trades: 3, netProfit: -5 });
  });
  it('exposure merges overlapping trades', () => {
    // Jan 1 00–02 and 01–05 overlap → 5h; then 1h + 3h + 2h; over 34 days (816h).
    expect(exposurePct(TRADES, JAN1, FEB1 + 3 * D)).toBeCloseTo((11 / 816) * 100, 10);
  });
  it('commission by deposit tier on positive profit only', () => {
    const base = { trades: TRADES, equityCurve: CURVE, startEquity: 100 };
    expect(performanceMetrics({ ...base, deposit: 999 })).toMatchObject({ commissionRate: 0.3, commissionDue: 4.5 });
    expect(performanceMetrics({ ...base, deposit: 1000 })).toMatchObject({ commissionRate: 0.25, commissionDue: 3.75 });
    expect(performanceMetrics({ ...base, deposit: 5000.01 }).commissionRate).toBe(0.2);
    expect(performanceMetrics({ ...base, trades: TRADES.slice(1, 2) }).commissionDue, 'a loss owes nothing').toBe(0);
  });
});

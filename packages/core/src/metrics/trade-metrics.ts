import type { Trade } from '../domain/position';
import { mean, stdev } from './risk-adjusted';

/** Statistics over closed trades. Ratios that would be infinite are `null`; nothing is NaN. */
export interface TradeMetrics {
  readonly trades: number;
  readonly wins: number;
  readonly losses: number;
  /** Sum of trade pnl (net of fees), quote units. */
  readonly netProfit: number;
  readonly grossProfit: number;
  /** Sum of losing trades' pnl as a positive number. */
  readonly grossLoss: number;
  /** Share of trades with pnl > 0, percent. */
  readonly winRate: number;
  /** grossProfit / grossLoss; `null` with wins and no losses, 0 with neither. */
  readonly profitFactor: number | null;
  /** Mean pnl per trade, quote units. */
  readonly expectancy: number;
  /** expectancy / average loss = (1 + avgWin/avgLoss)·winRate − 1; `null` with no losses and expectancy > 0. */
  readonly expectancyRatio: number | null;
  /** System quality number: √n · mean(pnl) / stdev(pnl); 0 for n < 2 or no spread. */
  readonly sqn: number;
  readonly avgTradePct: number;
  readonly bestTradePct: number;
  readonly worstTradePct: number;
  readonly avgWin: number;
  readonly avgLoss: number;
  /** Mean holding time of winners and of losers, ms. */
  readonly avgWinnerDuration: number;
  readonly avgLoserDuration: number;
  readonly maxConsecutiveWins: number;
  readonly maxConsecutiveLosses: number;
  readonly fees: number;
}

/**
 * Trade statistics. A trade with pnl > 0 is a win and pnl < 0 a loss; break-even trades
 * count in totals and break streaks of both kinds. Streaks follow exit time order.
 */
export function tradeMetrics(trades: readonly Trade[]): TradeMetrics {
  const ordered = [...trades].sort((a, b) => a.exitTime - b.exitTime);
  let grossProfit = 0;
  let grossLoss = 0;
  let wins = 0;
  let losses = 0;
  let fees = 0;
  let winDur = 0;
  let lossDur = 0;
  let best = 0;
  let worst = 0;
  let run = 0;
  let maxW = 0;
  let maxL = 0;
  const pnl = new Float64Array(ordered.length);
  const pct = new Float64Array(ordered.length);
  ordered.forEach((t, i) => {
    pnl[i] = t.pnl;
    pct[i] = t.pnlPct;
    fees += t.fees;
    if (i === 0 || t.pnlPct > best) best = t.pnlPct;
    if (i === 0 || t.pnlPct < worst) worst = t.pnlPct;
    if (t.pnl > 0) {
      wins += 1;
      grossProfit += t.pnl;
      winDur += t.exitTime - t.entryTime;
      run = run > 0 ? run + 1 : 1;
      maxW = Math.max(maxW, run);
    } else if (t.pnl < 0) {
      losses += 1;
      grossLoss -= t.pnl;
      lossDur += t.exitTime - t.entryTime;
      run = run < 0 ? run - 1 : -1;
      maxL = Math.max(maxL, -run);
    } else run = 0;
  });
  const n = ordered.length;
  const expectancy = mean(pnl);
  const avgWin = wins > 0 ? grossProfit / wins : 0;
  const avgLoss = losses > 0 ? grossLoss / losses : 0;
  const sd = stdev(pnl);
  return {
    trades: n,
    wins,
    losses,
    netProfit: grossProfit - grossLoss,
    grossProfit,
    grossLoss,
    winRate: n > 0 ? (wins / n) * 100 : 0,
    profitFactor: grossLoss > 0 ? grossProfit / grossLoss : grossProfit > 0 ? null : 0,
    expectancy,
    expectancyRatio: avgLoss > 0 ? expectancy / avgLoss : expectancy > 0 ? null : 0,
    sqn: n >= 2 && sd > 0 ? (Math.sqrt(n) * expectancy) / sd : 0,
    avgTradePct: mean(pct),
    bestTradePct: best,
    worstTradePct: worst,
    avgWin,
    avgLoss,
    avgWinnerDuration: wins > 0 ? winDur / wins : 0,
    avgLoserDuration: losses > 0 ? lossDur / losses : 0,
    maxConsecutiveWins: maxW,
    maxConsecutiveLosses: maxL,
    fees,
  };
}

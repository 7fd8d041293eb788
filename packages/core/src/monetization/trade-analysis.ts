import type { Trade } from '../domain/position';

/** Realized performance of a set of closed trades. Never NaN. */
export interface TradeStats {
  readonly trades: number;
  readonly wins: number;
  readonly losses: number;
  /** Sum of net PnL (after fees), quote units. */
  readonly realizedPnl: number;
  readonly grossProfit: number;
  /** Sum of losing trades' PnL as a positive number. */
  readonly grossLoss: number;
  /** Share of trades with pnl > 0, in percent (0–100); a break-even trade is not a win. */
  readonly winRate: number;
  /** grossProfit / grossLoss; `null` when there were wins and no losses (infinite), 0 with neither. */
  readonly profitFactor: number | null;
  readonly averageWin: number;
  readonly averageLoss: number;
  readonly largestWin: number;
  readonly largestLoss: number;
  readonly fees: number;
}

/** `TradeStats` of one user, with breakdowns by symbol and by strategy. */
export interface UserTradeAnalysis extends TradeStats {
  readonly userId: string;
  readonly firstExit: number | undefined;
  readonly lastExit: number | undefined;
  readonly bySymbol: Readonly<Record<string, TradeStats>>;
  readonly byStrategy: Readonly<Record<string, TradeStats>>;
}

/** Computes `TradeStats` over closed trades. */
export function tradeStats(trades: readonly Trade[]): TradeStats {
  let grossProfit = 0;
  let grossLoss = 0;
  let wins = 0;
  let losses = 0;
  let fees = 0;
  let largestWin = 0;
  let largestLoss = 0;
  for (const t of trades) {
    if (t.pnl > 0) {
      grossProfit += t.pnl;
      wins += 1;
      largestWin = Math.max(largestWin, t.pnl);
    } else if (t.pnl < 0) {
      grossLoss -= t.pnl;
      losses += 1;
      largestLoss = Math.min(largestLoss, t.pnl);
    }
    fees += t.fees;
  }
  return {
    trades: trades.length,
    wins,
    losses,
    realizedPnl: grossProfit - grossLoss,
    grossProfit,
    grossLoss,
    winRate: trades.length > 0 ? (wins / trades.length) * 100 : 0,
    profitFactor: grossLoss > 0 ? grossProfit / grossLoss : grossProfit > 0 ? null : 0,
    averageWin: wins > 0 ? grossProfit / wins : 0,
    averageLoss: losses > 0 ? -grossLoss / losses : 0,
    largestWin,
    largestLoss,
    fees,
  };
}

function groupStats(trades: readonly Trade[], key: (t: Trade) => string): Record<string, TradeStats> {
  const groups = new Map<string, Trade[]>();
  for (const t of trades) {
    const k = key(t);
    const list = groups.get(k);
    if (list) list.push(t);
    else groups.set(k, [t]);
  }
  const out: Record<string, TradeStats> = {};
  for (const k of [...groups.keys()].sort()) out[k] = tradeStats(groups.get(k) as Trade[]);
  return out;
}

/**
 * Per-user analysis: realized PnL, win rate, profit factor and the rest, overall and by
 * symbol and strategy. Trades of other users in the list are ignored.
 */
export function analyzeUserTrades(userId: string, trades: readonly Trade[]): UserTradeAnalysis {
  const own = trades.filter((t) => t.userId === userId);
  let firstExit: number | undefined;
  let lastExit: number | undefined;
  for (const t of own) {
    if (firstExit === undefined || t.exitTime < firstExit) firstExit = t.exitTime;
    if (lastExit === undefined || t.exitTime > lastExit) lastExit = t.exitTime;
  }
  return {
    userId,
    ...tradeStats(own),
    firstExit,
    lastExit,
    bySymbol: groupStats(own, (t) => t.symbol),
    byStrategy: groupStats(own, (t) => t.strategyId),
  };
}

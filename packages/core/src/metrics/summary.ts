import type { Trade } from '../domain/position';
import type { EquityPoint } from '../events/event-map';

export interface DrawdownStats {
  /** Largest peak-to-trough fall of equity, in quote units. */
  readonly maxDrawdown: number;
  /** The same fall relative to the peak, in percent (0–100). */
  readonly maxDrawdownPct: number;
  readonly peakTime: number | undefined;
  readonly troughTime: number | undefined;
}

/** Maximum drawdown of an equity curve (on equity, not on summed trade returns). */
export function maxDrawdown(curve: readonly EquityPoint[]): DrawdownStats {
  let peak = Number.NEGATIVE_INFINITY;
  let peakTime: number | undefined;
  let best: DrawdownStats = { maxDrawdown: 0, maxDrawdownPct: 0, peakTime: undefined, troughTime: undefined };
  for (const p of curve) {
    if (p.equity > peak) {
      peak = p.equity;
      peakTime = p.time;
      continue;
    }
    const pct = peak > 0 ? ((peak - p.equity) / peak) * 100 : 0;
    if (pct > best.maxDrawdownPct) {
      best = { maxDrawdown: peak - p.equity, maxDrawdownPct: pct, peakTime, troughTime: p.time };
    }
  }
  return best;
}

/** The headline numbers of a run. Defined for degenerate inputs: never NaN. */
export interface RunSummary {
  readonly trades: number;
  readonly netProfit: number;
  readonly returnPct: number;
  readonly maxDrawdownPct: number;
  readonly maxDrawdown: number;
  /** Share of closed trades with pnl > 0, in percent. */
  readonly winRate: number;
  /** Gross profit / gross loss; `null` when there was no losing trade (infinite). */
  readonly profitFactor: number | null;
  readonly fees: number;
  readonly startEquity: number;
  readonly endEquity: number;
}

/**
 * Summarises closed trades and the equity curve. `netProfit` counts closed trades only;
 * open positions show in `endEquity`.
 */
export function summarize(trades: readonly Trade[], curve: readonly EquityPoint[], startEquity: number): RunSummary {
  let grossWin = 0;
  let grossLoss = 0;
  let wins = 0;
  let fees = 0;
  for (const t of trades) {
    if (t.pnl > 0) {
      grossWin += t.pnl;
      wins += 1;
    } else grossLoss -= t.pnl;
    fees += t.fees;
  }
  const netProfit = grossWin - grossLoss;
  const dd = maxDrawdown(curve);
  const endEquity = curve.length > 0 ? (curve[curve.length - 1] as EquityPoint).equity : startEquity;
  return {
    trades: trades.length,
    netProfit,
    returnPct: startEquity > 0 ? (netProfit / startEquity) * 100 : 0,
    maxDrawdownPct: dd.maxDrawdownPct,
    maxDrawdown: dd.maxDrawdown,
    winRate: trades.length > 0 ? (wins / trades.length) * 100 : 0,
    profitFactor: grossLoss > 0 ? grossWin / grossLoss : grossWin > 0 ? null : 0,
    fees,
    startEquity,
    endEquity,
  };
}

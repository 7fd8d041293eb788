import type { Trade } from '../domain/position';
import type { EquityPoint } from '../events/event-map';
import { type CommissionSchedule, DEFAULT_COMMISSION_SCHEDULE, commissionRate } from '../monetization/commission-schedule';
import { type MonthRow, type SymbolRow, byMonth, bySymbol, exposurePct } from './breakdowns';
import { type DrawdownDetail, drawdownStats } from './drawdown-stats';
import { probabilisticSharpe } from './probabilistic-sharpe';
import { cagrPct, calmarRatio, periodReturns, periodsPerYear, sharpeRatio, sortinoRatio } from './risk-adjusted';
import { type TradeMetrics, tradeMetrics } from './trade-metrics';

export interface PerformanceInput {
  readonly trades: readonly Trade[];
  readonly equityCurve: readonly EquityPoint[];
  readonly startEquity: number;
  /** Annual risk-free rate for Sharpe/Sortino (fraction, default 0). */
  readonly riskFreeRate?: number;
  /** Samples per year of the curve; default: from its median spacing. */
  readonly periodsPerYear?: number;
  /** Deposit that picks the commission tier; default `startEquity`. */
  readonly deposit?: number;
  readonly commissionSchedule?: CommissionSchedule;
}

/** Every headline metric of a run. See docs/research.md for the formulas. Never NaN. */
export interface PerformanceMetrics extends TradeMetrics {
  readonly startEquity: number;
  readonly endEquity: number;
  /** netProfit / startEquity, percent (closed trades only, like `summarize`). */
  readonly netProfitPct: number;
  /** (endEquity − startEquity) / startEquity, percent (open positions at their last price included). */
  readonly totalReturnPct: number;
  readonly cagrPct: number;
  readonly sharpe: number;
  readonly sortino: number | null;
  readonly calmar: number | null;
  /** Probability that the true Sharpe ratio is above 0 (per-sample returns), 0–1. */
  readonly probabilisticSharpe: number;
  readonly drawdown: DrawdownDetail;
  readonly exposurePct: number;
  /** Commission owed to the operator on a positive net profit, by the deposit's tier. */
  readonly commissionRate: number;
  readonly commissionDue: number;
  readonly periodsPerYear: number;
  readonly bySymbol: readonly SymbolRow[];
  readonly byMonth: readonly MonthRow[];
}

/** Computes {@link PerformanceMetrics} from a run's trades and equity curve. */
export function performanceMetrics(input: PerformanceInput): PerformanceMetrics {
  const { trades, equityCurve: curve, startEquity } = input;
  const tm = tradeMetrics(trades);
  const first = curve[0];
  const last = curve[curve.length - 1];
  const endEquity = last ? last.equity : startEquity;
  const span = first && last ? last.time - first.time : 0;
  const perYear = input.periodsPerYear ?? periodsPerYear(curve);
  const returns = periodReturns(curve);
  const rf = input.riskFreeRate ?? 0;
  const cagr = cagrPct(startEquity, endEquity, span);
  const drawdown = drawdownStats(curve);
  const rate = commissionRate(Math.max(0, input.deposit ?? startEquity), input.commissionSchedule ?? DEFAULT_COMMISSION_SCHEDULE);
  return {
    ...tm,
    startEquity,
    endEquity,
    netProfitPct: startEquity > 0 ? (tm.netProfit / startEquity) * 100 : 0,
    totalReturnPct: startEquity > 0 ? (endEquity / startEquity - 1) * 100 : 0,
    cagrPct: cagr,
    sharpe: sharpeRatio(returns, perYear, rf),
    sortino: sortinoRatio(returns, perYear, rf),
    calmar: calmarRatio(cagr, drawdown.maxDrawdownPct),
    probabilisticSharpe: probabilisticSharpe(returns),
    drawdown,
    exposurePct: first && last ? exposurePct(trades, first.time, last.time) : 0,
    commissionRate: rate,
    commissionDue: Math.max(0, tm.netProfit) * rate,
    periodsPerYear: perYear,
    bySymbol: bySymbol(trades),
    byMonth: byMonth(curve, trades, startEquity),
  };
}

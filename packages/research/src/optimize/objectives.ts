import { YEAR_MS } from '@kairos/core';
import type { SimulationOutcome } from '../sweep/simulate-long';
import { ResearchConfigError } from './research-error';

/** Headline numbers of one parameter set over all symbols of a sweep (each its own account). */
export interface SetScore {
  /** Sum of closed-trade profit over symbols, quote units. */
  readonly netProfit: number;
  /** netProfit over the summed starting cash, percent. */
  readonly returnPct: number;
  /** Worst max drawdown of any symbol, percent. */
  readonly maxDrawdownPct: number;
  readonly trades: number;
  /** percent */
  readonly winRate: number;
  /** `null` = infinite */
  readonly profitFactor: number | null;
  /** Mean of the symbols' annualised per-candle Sharpe ratios. */
  readonly sharpe: number;
  readonly fees: number;
}

/** Aggregates the outcomes of one parameter set on several symbols. */
export function scoreOutcomes(outcomes: readonly SimulationOutcome[], initialCash: number, timeframeMs: number): SetScore {
  let netProfit = 0;
  let maxDd = 0;
  let trades = 0;
  let wins = 0;
  let gp = 0;
  let gl = 0;
  let sharpe = 0;
  let fees = 0;
  const perYear = YEAR_MS / timeframeMs;
  for (const o of outcomes) {
    netProfit += o.netProfit;
    maxDd = Math.max(maxDd, o.maxDrawdownPct);
    trades += o.trades;
    wins += o.wins;
    gp += o.grossProfit;
    gl += o.grossLoss;
    fees += o.fees;
    if (o.retCount >= 2) {
      const mean = o.retSum / o.retCount;
      const variance = (o.retSumSq - o.retCount * mean * mean) / (o.retCount - 1);
      if (variance > 0) sharpe += (mean / Math.sqrt(variance)) * Math.sqrt(perYear);
    }
  }
  const n = outcomes.length;
  return {
    netProfit,
    returnPct: n > 0 && initialCash > 0 ? (netProfit / (initialCash * n)) * 100 : 0,
    maxDrawdownPct: maxDd,
    trades,
    winRate: trades > 0 ? (wins / trades) * 100 : 0,
    profitFactor: gl > 0 ? gp / gl : gp > 0 ? null : 0,
    sharpe: n > 0 ? sharpe / n : 0,
    fees,
  };
}

/** What an optimizer can maximise or minimise. */
export const OBJECTIVES = {
  netProfit: { direction: 'max', read: (s: SetScore) => s.netProfit },
  returnPct: { direction: 'max', read: (s: SetScore) => s.returnPct },
  sharpe: { direction: 'max', read: (s: SetScore) => s.sharpe },
  winRate: { direction: 'max', read: (s: SetScore) => s.winRate },
  profitFactor: { direction: 'max', read: (s: SetScore) => s.profitFactor ?? Number.MAX_VALUE },
  maxDrawdownPct: { direction: 'min', read: (s: SetScore) => s.maxDrawdownPct },
  trades: { direction: 'max', read: (s: SetScore) => s.trades },
  fewTrades: { direction: 'min', read: (s: SetScore) => s.trades },
} as const;

export type ObjectiveName = keyof typeof OBJECTIVES;

/** Checks objective names; the error lists the known ones. */
export function parseObjectives(names: readonly string[], key = 'objectives'): ObjectiveName[] {
  if (names.length === 0) throw new ResearchConfigError(key, `needs at least one objective; known: ${Object.keys(OBJECTIVES).join(', ')}`);
  for (const n of names) {
    if (!(n in OBJECTIVES)) throw new ResearchConfigError(key, `unknown objective '${n}'; known: ${Object.keys(OBJECTIVES).join(', ')}`);
  }
  return names as ObjectiveName[];
}

/** The objective as a number to maximise (minimised objectives are negated). */
export function fitness(score: SetScore, objective: ObjectiveName): number {
  const o = OBJECTIVES[objective];
  const v = o.read(score);
  return o.direction === 'max' ? v : -v;
}

import type { Trade } from '../domain/position';
import type { EquityPoint } from '../events/event-map';

/** One row of the per-symbol table. */
export interface SymbolRow {
  readonly symbol: string;
  readonly trades: number;
  readonly netProfit: number;
  /** percent */
  readonly winRate: number;
  readonly avgTradePct: number;
  readonly fees: number;
}

/** One row of the per-month table (UTC months). */
export interface MonthRow {
  /** 'YYYY-MM' */
  readonly month: string;
  /** Change of equity over the month, percent: last sample of the month against the previous month's last (or the start equity). */
  readonly returnPct: number;
  /** Trades closed (by exit time) in the month. */
  readonly trades: number;
  readonly netProfit: number;
}

/** Per-symbol results, sorted by symbol. */
export function bySymbol(trades: readonly Trade[]): SymbolRow[] {
  const groups = new Map<string, Trade[]>();
  for (const t of trades) {
    let g = groups.get(t.symbol);
    if (!g) groups.set(t.symbol, (g = []));
    g.push(t);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([symbol, g]) => {
      let pnl = 0;
      let wins = 0;
      let pct = 0;
      let fees = 0;
      for (const t of g) {
        pnl += t.pnl;
        pct += t.pnlPct;
        fees += t.fees;
        if (t.pnl > 0) wins += 1;
      }
      return { symbol, trades: g.length, netProfit: pnl, winRate: (wins / g.length) * 100, avgTradePct: pct / g.length, fees };
    });
}

function monthOf(t: number): string {
  return new Date(t).toISOString().slice(0, 7);
}

/** Per-month returns from the equity curve and closed trades, in time order. */
export function byMonth(curve: readonly EquityPoint[], trades: readonly Trade[], startEquity: number): MonthRow[] {
  const lastEquity = new Map<string, number>();
  for (const p of curve) lastEquity.set(monthOf(p.time), p.equity);
  const tradeAgg = new Map<string, { n: number; pnl: number }>();
  for (const t of trades) {
    const m = monthOf(t.exitTime);
    const a = tradeAgg.get(m) ?? { n: 0, pnl: 0 };
    a.n += 1;
    a.pnl += t.pnl;
    tradeAgg.set(m, a);
  }
  const months = [...new Set([...lastEquity.keys(), ...tradeAgg.keys()])].sort();
  let prev = startEquity;
  return months.map((month) => {
    const end = lastEquity.get(month) ?? prev;
    const row = { month, returnPct: prev > 0 ? (end / prev - 1) * 100 : 0, trades: tradeAgg.get(month)?.n ?? 0, netProfit: tradeAgg.get(month)?.pnl ?? 0 };
    prev = end;
    return row;
  });
}

/**
 * Exposure: share of the period [from, to] during which at least one trade was open
 * (overlapping trades on several symbols count once), percent.
 */
export function exposurePct(trades: readonly Trade[], from: number, to: number): number {
  const span = to - from;
  if (!(span > 0) || trades.length === 0) return 0;
  const iv = trades.map((t) => [Math.max(from, t.entryTime), Math.min(to, t.exitTime)] as const).filter(([a, b]) => b > a);
  iv.sort((x, y) => x[0] - y[0]);
  let covered = 0;
  let curA = Number.NaN;
  let curB = Number.NaN;
  for (const [a, b] of iv) {
    if (Number.isNaN(curA) || a > curB) {
      if (!Number.isNaN(curA)) covered += curB - curA;
      curA = a;
      curB = b;
    } else curB = Math.max(curB, b);
  }
  if (!Number.isNaN(curA)) covered += curB - curA;
  return (covered / span) * 100;
}

import type { RunSummary, Trade } from '@kairos/core';

const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');

/** Rounds for display and JSON without losing meaningful precision. */
export function round(n: number, digits = 8): number {
  return Number(n.toFixed(digits));
}

export function tradeRow(t: Trade) {
  return {
    symbol: t.symbol,
    side: t.side,
    entryTime: iso(t.entryTime),
    entryPrice: t.entryPrice,
    exitTime: iso(t.exitTime),
    exitPrice: t.exitPrice,
    amount: t.amount,
    pnl: t.pnl,
    pnlPct: t.pnlPct,
    fees: t.fees,
    entryReason: t.entryReason,
    exitReason: t.exitReason,
  };
}

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

/** A fixed-width table of trades for terminals. */
export function formatTrades(trades: readonly Trade[], limit = 50): string {
  const head = `${pad('symbol', 11)} ${pad('entry', 20)} ${pad('exit', 20)} ${pad('entry px', 14, true)} ${pad('exit px', 14, true)} ${pad('pnl', 12, true)} ${pad('pnl %', 8, true)}`;
  const shown = trades.length > limit ? trades.slice(-limit) : trades;
  const rows = shown.map(
    (t) =>
      `${pad(t.symbol, 11)} ${pad(iso(t.entryTime), 20)} ${pad(iso(t.exitTime), 20)} ${pad(t.entryPrice.toPrecision(8), 14, true)} ${pad(t.exitPrice.toPrecision(8), 14, true)} ${pad(t.pnl.toFixed(2), 12, true)} ${pad(t.pnlPct.toFixed(2), 8, true)}`,
  );
  const more = trades.length > limit ? [`… ${trades.length - limit} earlier trades not shown (use --json for all)`] : [];
  return [head, ...more, ...rows].join('\n');
}

export function formatSummary(s: RunSummary, quote: string): string {
  const pf = s.profitFactor === null ? '∞' : s.profitFactor.toFixed(2);
  return [
    `trades         ${s.trades}`,
    `net profit     ${s.netProfit.toFixed(2)} ${quote}`,
    `return         ${s.returnPct.toFixed(2)} %`,
    `max drawdown   ${s.maxDrawdownPct.toFixed(2)} %`,
    `win rate       ${s.winRate.toFixed(1)} %`,
    `profit factor  ${pf}`,
    `fees           ${s.fees.toFixed(2)} ${quote}`,
    `equity         ${s.startEquity.toFixed(2)} → ${s.endEquity.toFixed(2)} ${quote}`,
  ].join('\n');
}

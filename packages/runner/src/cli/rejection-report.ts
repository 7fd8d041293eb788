import type { EngineReport } from '@kairos/core';

const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');

type RejectionParts = Pick<EngineReport, 'rejections' | 'orderRejectionCounts' | 'symbolPauses' | 'dust'>;

/** Risk and exchange rejections, pauses and dust as the backtest's JSON output gives them. */
export function rejectionJson(report: RejectionParts) {
  const riskByPolicy = new Map<string, number>();
  for (const r of report.rejections) riskByPolicy.set(r.policyId, (riskByPolicy.get(r.policyId) ?? 0) + 1);
  return {
    riskRejections: { total: report.rejections.length, byPolicy: Object.fromEntries(riskByPolicy) },
    orderRejections: {
      total: report.orderRejectionCounts.reduce((n, c) => n + c.count, 0),
      bySymbolAndCode: report.orderRejectionCounts,
    },
    symbolPauses: report.symbolPauses.map((p) => ({ ...p, from: iso(p.from), until: iso(p.until) })),
    dust: report.dust,
  };
}

/**
 * The same as lines for a terminal: nothing when there was nothing to say, so a clean
 * run's output stays short.
 */
export function rejectionLines(report: RejectionParts, quote: string): string[] {
  const j = rejectionJson(report);
  const lines: string[] = [];
  if (j.riskRejections.total > 0) {
    const parts = Object.entries(j.riskRejections.byPolicy).map(([policy, n]) => `${policy} ${n}`);
    lines.push(`risk rejections: ${j.riskRejections.total} (${parts.join(', ')})`);
  }
  if (j.orderRejections.total > 0) {
    const parts = j.orderRejections.bySymbolAndCode.map((c) => `${c.symbol} ${c.code} ×${c.count}`);
    lines.push(`order rejections: ${j.orderRejections.total} (${parts.join(', ')})`);
  }
  for (const p of report.symbolPauses) {
    lines.push(`paused: ${p.symbol} after ${p.repeats}× ${p.code} (${p.reason}), ${iso(p.from)} → ${iso(p.until)}`);
  }
  for (const d of report.dust) lines.push(`dust: ${d.symbol} ${d.amount} left unsellable (${d.value.toFixed(4)} ${quote}, in equity)`);
  return lines;
}

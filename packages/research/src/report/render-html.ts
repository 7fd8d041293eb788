import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CHART_SCRIPT } from './chart-script';
import type { ReportData } from './report-data';

/** The standalone production bundle of lightweight-charts, read from node_modules (inlined: no network). */
export function lightweightChartsBundle(): string {
  const pkg = createRequire(import.meta.url).resolve('lightweight-charts/package.json');
  return readFileSync(join(dirname(pkg), 'dist', 'lightweight-charts.standalone.production.js'), 'utf8');
}

const esc = (s: unknown): string =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function fmt(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : Math.abs(v) >= 1000 ? v.toFixed(2) : v.toPrecision(6);
  if (typeof v === 'object') return esc(JSON.stringify(v));
  return esc(v);
}

function table(columns: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  return `<table><thead><tr>${columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((v) => `<td>${fmt(v)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

/** Red-to-green cell colour for value v within [lo, hi] (0 at white when the range spans it). */
function heatColor(v: number | null, lo: number, hi: number): string {
  if (v === null || !Number.isFinite(v)) return '#eeeeee';
  const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
  const a = Math.min(1, Math.abs(v) / m);
  return v >= 0 ? `rgba(46,125,50,${(0.1 + 0.8 * a).toFixed(3)})` : `rgba(198,40,40,${(0.1 + 0.8 * a).toFixed(3)})`;
}

function heatTable(title: string, x: string, y: string, xs: readonly unknown[], ys: readonly unknown[], values: ReadonlyArray<ReadonlyArray<number | null>>): string {
  const flat = values.flat().filter((v): v is number => v !== null && Number.isFinite(v));
  const lo = Math.min(0, ...flat);
  const hi = Math.max(0, ...flat);
  const head = `<tr><th>${esc(y)} \\ ${esc(x)}</th>${xs.map((v) => `<th>${fmt(v)}</th>`).join('')}</tr>`;
  const body = ys
    .map((vy, yi) => `<tr><th>${fmt(vy)}</th>${xs.map((_, xi) => {
      const v = values[yi]?.[xi] ?? null;
      return `<td class="heat" style="background:${heatColor(v, lo, hi)}">${v === null ? '—' : v.toFixed(2)}</td>`;
    }).join('')}</tr>`)
    .join('');
  return `<h3>${esc(title)}</h3><table class="heatmap">${head}${body}</table>`;
}

function monthlyHeatmap(months: ReadonlyArray<{ month: string; returnPct: number }>): string {
  const years = [...new Set(months.map((m) => m.month.slice(0, 4)))].sort();
  const names = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'];
  const values = years.map((yr) => names.map((mm) => months.find((m) => m.month === `${yr}-${mm}`)?.returnPct ?? null));
  return heatTable('Monthly returns (%)', 'month', 'year', names, years, values);
}

/**
 * Renders a self-contained report page: the chart library and the data are inlined,
 * so the file opens anywhere without a network.
 */
export function renderReportHtml(data: ReportData): string {
  const parts: string[] = [];
  parts.push(`<h1>${esc(data.title)}</h1><p class="meta">${esc(data.kind)} · ${esc(data.createdAt)}</p>`);
  if (data.settings) parts.push(`<h2>Settings</h2>${table(['setting', 'value'], Object.entries(data.settings))}`);
  const m = data.metrics;
  if (m) {
    const rows: Array<[string, unknown]> = [
      ['net profit', m.netProfit], ['net profit %', m.netProfitPct], ['total return %', m.totalReturnPct], ['CAGR %', m.cagrPct],
      ['Sharpe', m.sharpe], ['Sortino', m.sortino], ['Calmar', m.calmar], ['probabilistic Sharpe', m.probabilisticSharpe],
      ['max drawdown %', m.drawdown.maxDrawdownPct], ['max drawdown', m.drawdown.maxDrawdown], ['time under water %', m.drawdown.timeUnderWaterPct],
      ['trades', m.trades], ['win rate %', m.winRate], ['profit factor', m.profitFactor], ['expectancy', m.expectancy], ['expectancy ratio', m.expectancyRatio],
      ['SQN', m.sqn], ['exposure %', m.exposurePct], ['avg trade %', m.avgTradePct], ['best trade %', m.bestTradePct], ['worst trade %', m.worstTradePct],
      ['max consecutive wins', m.maxConsecutiveWins], ['max consecutive losses', m.maxConsecutiveLosses], ['fees', m.fees], ['commission due', m.commissionDue],
    ];
    parts.push(`<h2>Metrics</h2>${table(['metric', 'value'], rows)}`);
    if (m.bySymbol.length > 0) parts.push(`<h3>Per symbol</h3>${table(['symbol', 'trades', 'net profit', 'win rate %', 'avg trade %', 'fees'], m.bySymbol.map((r) => [r.symbol, r.trades, r.netProfit, r.winRate, r.avgTradePct, r.fees]))}`);
    if (m.byMonth.length > 0) parts.push(monthlyHeatmap(m.byMonth));
  }
  if (data.equity && data.equity.length > 0) {
    parts.push(`<h2>Equity</h2><div id="equity-chart" class="chart"></div><h2>Drawdown (%)</h2><div id="drawdown-chart" class="chart"></div>`);
  }
  (data.markets ?? []).forEach((mk, k) => parts.push(`<h2>${esc(mk.symbol)}: trades</h2><div id="market-chart-${k}" class="chart"></div>`));
  if (data.monteCarlo) {
    parts.push(`<h2>Monte Carlo (${esc(data.monteCarlo.method)}): equity percentiles by trade</h2><div id="montecarlo-chart" class="chart"></div>${table(['statistic', 'value'], Object.entries(data.monteCarlo.summary))}`);
  }
  if (data.pareto && data.pareto.points.length > 0) {
    const p = data.pareto;
    parts.push(`<h2>Pareto front</h2>${table([...p.objectives, 'parameters'], p.points.map((pt) => [...pt.values, pt.params]))}`);
  }
  for (const h of data.heatmaps ?? []) parts.push(heatTable(h.title, h.x, h.y, h.xValues, h.yValues, h.values));
  for (const t of data.tables ?? []) parts.push(`<h2>${esc(t.title)}</h2>${table(t.columns, t.rows)}`);
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  const lib = lightweightChartsBundle().replace(/<\/script/gi, '<\\/script');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(data.title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
h1{margin-bottom:0}.meta{color:#666;margin-top:4px}
table{border-collapse:collapse;margin:8px 0 16px}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}th{background:#f5f5f5}
td:first-child,th:first-child{text-align:left}.chart{width:100%;height:320px;margin-bottom:16px}.heat{min-width:42px}
</style></head><body>
${parts.join('\n')}
<script id="report-data" type="application/json">${json}</script>
<script>${lib}</script>
<script>${CHART_SCRIPT}</script>
</body></html>
`;
}

import { readFileSync } from 'node:fs';
import { getIndicator, type Bar } from '../packages/indicators-gpu/src/index.js';
const rows = readFileSync('/work/main/data/BTC_USDT-1h.csv', 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
const N = 100_000;
const c = { open: new Float64Array(N), high: new Float64Array(N), low: new Float64Array(N), close: new Float64Array(N), volume: new Float64Array(N) };
let scale = 1;
for (let i = 0; i < N; i++) { const j = i % rows.length; if (j === 0 && i > 0) scale = c.close[i - 1]! / rows[0]![1]!; const r = rows[j]!; c.open[i] = r[1]! * scale; c.high[i] = r[2]! * scale; c.low[i] = r[3]! * scale; c.close[i] = r[4]! * scale; c.volume[i] = r[5]!; }
const cases: [string, string, Record<string, number>][] = [['SMA', 'sma', { period: 20 }], ['EMA', 'ema', { period: 20 }], ['RSI', 'rsi', { period: 14 }], ['MACD', 'macd', { fast: 12, slow: 26, signal: 9 }], ['BB', 'bbands', { period: 20, stddev: 2 }], ['ATR', 'atr', { period: 14 }]];
const cpu = (fn: () => void) => { const t = process.cpuUsage(); fn(); const d = process.cpuUsage(t); return (d.user + d.system) / 1e6; };
const med = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1]!;
for (const [label, name, p] of cases) {
  const ind = getIndicator(name); const params = ind.parseParams(p);
  const out = Object.fromEntries(ind.spec.outputs.map((k) => [k, new Float64Array(N)]));
  const b = () => ind.batchInto(c, params, out);
  const s = () => { const st = ind.stream(params); const bar: Bar = { open: 0, high: 0, low: 0, close: 0, volume: 0 }; for (let i = 0; i < N; i++) { bar.open = c.open[i]!; bar.high = c.high[i]!; bar.low = c.low[i]!; bar.close = c.close[i]!; bar.volume = c.volume[i]!; st.update(bar); } };
  for (let w = 0; w < 5; w++) { b(); s(); }
  const tb: number[] = [], ts: number[] = [];
  for (let r = 0; r < 21; r++) { tb.push(cpu(b)); ts.push(cpu(s)); }
  console.log(label.padEnd(6), 'batch', (N / med(tb) / 1e6).toFixed(1).padStart(7), 'stream', (N / med(ts) / 1e6).toFixed(1).padStart(7));
}

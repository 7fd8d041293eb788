import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinStrategies } from '../packages/core/src/index.ts';
import { loadSeries, runEngine, type SeriesData } from '../packages/research/src/index.ts';
import { FixedFractionSizing } from '../packages/risk/src/index.ts';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [btc] = (await loadSeries({ dataDir: join(root, 'data'), symbols: ['BTC/USDT'], timeframe: '1h' })) as [SeriesData];
const def = builtinStrategies().get('ma-cross');
const params = { kind: 'ema', fast: 12, slow: 26 };
const fill = { initialCash: 10_000, fraction: 0.2, feeBuffer: 0.005, slippageBps: 5, volumeParticipation: 1 };
const runs = Number(process.argv[2] ?? 21);
const cpu: number[] = []; const wall: number[] = [];
let rep: any;
for (let i = 0; i < runs + 3; i++) {
  const c0 = process.cpuUsage(); const t0 = performance.now();
  rep = await runEngine({ definition: def, params, series: [btc], risk: new FixedFractionSizing({ fraction: 0.2 }), fill });
  const c = process.cpuUsage(c0); const t = performance.now() - t0;
  if (i >= 3) { cpu.push((c.user + c.system) / 1000); wall.push(t); }
}
cpu.sort((a, b) => a - b); wall.sort((a, b) => a - b);
const med = (a: number[]) => a[Math.floor(a.length / 2)] as number;
console.log(`n=${btc.length} trades=${rep.trades.length} eq=${rep.equityCurve.length} last=${JSON.stringify(rep.equityCurve.at(-1))}`);
console.log(`cpu median ${med(cpu).toFixed(2)}ms -> ${(btc.length / med(cpu) / 1000).toFixed(3)} M/s; wall median ${med(wall).toFixed(2)}ms -> ${(btc.length / med(wall) / 1000).toFixed(3)} M/s; min cpu ${cpu[0]!.toFixed(2)}`);
if (process.env.DUMP) { const { writeFileSync } = await import('node:fs'); writeFileSync(process.env.DUMP, JSON.stringify({ trades: rep.trades, eq: rep.equityCurve })); }

/**
 * `pnpm bench backtest`: Engine throughput (one strategy, one symbol, full accounting)
 * and sweep throughput (parameter sets × candles per second, one thread and all cores),
 * each next to the time of computing the strategy's indicators alone. Also splits the
 * Engine's time into its parts, so a shortfall shows where it goes.
 *
 * Data: the bundled BTC/USDT 1h candles. Medians of several timed runs after JIT warm-up runs.
 */
import { availableParallelism, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinStrategies, runStrategy } from '../packages/core/src/index.ts';
import { getIndicator } from '../packages/indicators-gpu/src/index.ts';
import { createWorkerEvaluator, loadSeries, runEngine, runSweep, type SeriesData, simulateLong, maCrossKernel } from '../packages/research/src/index.ts';
import { FixedFractionSizing } from '../packages/risk/src/index.ts';

interface Row {
  subject: string;
  case: string;
  metric: string;
  value: number;
  unit: string;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Median wall time of `runs` timed runs after `warmups` untimed ones. The JIT needs a
 * dozen or more runs of a 6,000-candle backtest to reach steady state; one warm-up
 * measures the compiler, not the Engine.
 */
async function median(runs: number, fn: () => unknown | Promise<unknown>, warmups = 15): Promise<number> {
  for (let i = 0; i < warmups; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

export async function run(opts: { json: boolean }): Promise<void> {
  const [btc] = (await loadSeries({ dataDir: join(root, 'data'), symbols: ['BTC/USDT'], timeframe: '1h' })) as [SeriesData];
  const n = btc.length;
  const def = builtinStrategies().get('ma-cross');
  const params = { kind: 'ema', fast: 12, slow: 26 };
  const fill = { initialCash: 10_000, fraction: 0.2, feeBuffer: 0.005, slippageBps: 5, volumeParticipation: 1 };
  const rows: Row[] = [];
  const add = (subject: string, c: string, value: number, unit: string, metric = 'throughput') => rows.push({ subject, case: c, metric, value, unit });

  // Engine, full accounting: exchange, orders, portfolio, store, bus.
  const engineMs = await median(15, () => runEngine({ definition: def, params, series: [btc], risk: new FixedFractionSizing({ fraction: 0.2 }), fill }));
  const ema = getIndicator('ema');
  const indMs = await median(9, () => {
    ema.batch(btc.inputs, { period: 12 });
    ema.batch(btc.inputs, { period: 26 });
  });
  // Where the Engine's time goes: the strategy walk alone (view + decide over batch indicators) and the fill simulation alone.
  const strategy = def.create(def.params.parse(params));
  const walkMs = await median(15, () => runStrategy(strategy, { symbol: btc.symbol, timeframe: btc.timeframe, candles: btc.candles }));
  const sig = new Int8Array(n);
  maCrossKernel.signals(btc, def.params.parse(params) as Record<string, unknown>, sig);
  const simMs = await median(9, () => simulateLong(btc.columns, sig, fill, 26));
  const c = `ma-cross EMA(12/26) BTC/USDT 1h n=${n}`;
  add('kairos-engine', c, n / engineMs / 1000, 'Mcandles/s');
  add('indicators-only', c, n / indMs / 1000, 'Mcandles/s');
  add('engine-breakdown', `${c}: strategy walk (view+decide, batch indicators)`, walkMs, 'ms', 'time');
  add('engine-breakdown', `${c}: fill simulation alone`, simMs, 'ms', 'time');
  add('engine-breakdown', `${c}: everything else (orders, exchange, portfolio, store, bus, async)`, Math.max(0, engineMs - walkMs), 'ms', 'time');
  add('engine-breakdown', `${c}: engine total`, engineMs, 'ms', 'time');

  // Sweep: a grid of EMA crossovers on the kernel path.
  const sets: Array<Record<string, unknown>> = [];
  for (let f = 2; f <= 61; f++) for (let s = 20; s <= 400; s += 10) if (f < s) sets.push({ kind: 'ema', fast: f, slow: s });
  const cells = sets.length * n;
  const distinct = new Set(sets.flatMap((p) => [p.fast, p.slow])).size;
  const sweepIndMs = await median(3, () => {
    btc.clearIndicators();
    for (const p of new Set(sets.flatMap((x) => [x.fast as number, x.slow as number]))) btc.indicator('ema', { period: p });
  });
  const sweepMs = await median(3, () => runSweep({ definition: def, series: [btc], paramSets: sets, fill }));
  const sc = `ma-cross grid ${sets.length} sets × BTC/USDT 1h n=${n} (${distinct} distinct EMAs)`;
  add('kairos-sweep-1-thread', sc, cells / sweepMs / 1000, 'M set·candles/s');
  const workers = Math.max(2, Math.min(availableParallelism(), 16));
  const pool = createWorkerEvaluator({ strategyId: 'ma-cross', load: { dataDir: join(root, 'data'), symbols: ['BTC/USDT'], timeframe: '1h' }, fill, workers });
  try {
    const poolMs = await median(3, () => pool.evaluate(sets));
    add(`kairos-sweep-${workers}-workers`, sc, cells / poolMs / 1000, 'M set·candles/s');
  } finally {
    await pool.close();
  }
  add('indicators-only', sc, cells / sweepIndMs / 1000, 'M set·candles/s');

  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ bench: 'backtest', node: process.version, cpus: cpus().length, results: rows })}\n`);
    return;
  }
  const w = Math.max(...rows.map((r) => r.subject.length));
  process.stdout.write(`backtest bench (node ${process.version}, ${cpus().length} cpus)\n`);
  for (const r of rows) process.stdout.write(`${r.subject.padEnd(w)}  ${r.value.toFixed(r.unit === 'ms' ? 2 : 3).padStart(10)} ${r.unit.padEnd(16)} ${r.case}\n`);
  process.stdout.write('targets: engine ≥ 1 Mcandles/s on one core; sweep ≥ 100 M set·candles/s on two cores\n');
}

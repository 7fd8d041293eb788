import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { ConfigError } from '@kairos/core';
import { type Evaluator, type OptimizeMethod, createLocalEvaluator, createWorkerEvaluator, makeRunId, paramSpace, parseObjectives, parseRanges, walkForward, writeReport } from '@kairos/research';
import type { CommandIo } from './io';
import { OPTIMIZER_OPTIONS, parseCount, progressFor, RESEARCH_OPTIONS, researchSetup } from './research-flags';

export const WALK_FORWARD_USAGE = `kairos walk-forward --strategy ma-cross --range fast=5:50 --range slow=20:200:5 --in-sample 2000 --out-of-sample 500
  [--mode rolling|anchored] [--method grid|random|genetic|nsga2] [--objective netProfit] [--seed 1] [--samples N] [--population N] [--generations N]
  [--workers N (default: all cores; 0 = this thread)] [--symbols ...] [--timeframe 1h] [--from ISO] [--to ISO] [--param name=value ...] [--results DIR] [--json]`;

/** Walk-forward analysis: optimize in-sample, trade out-of-sample, window by window. */
export async function walkForwardCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values: v } = parseArgs({
    args: argv,
    strict: true,
    options: {
      ...RESEARCH_OPTIONS,
      ...OPTIMIZER_OPTIONS,
      'in-sample': { type: 'string' },
      'out-of-sample': { type: 'string' },
      mode: { type: 'string' },
    },
  });
  const method = (v.method ?? 'grid') as OptimizeMethod;
  if (!['grid', 'random', 'genetic', 'nsga2'].includes(method)) throw new ConfigError('--method', `unknown method '${v.method}'; allowed: grid, random, genetic, nsga2`);
  const mode = v.mode ?? 'rolling';
  if (mode !== 'rolling' && mode !== 'anchored') throw new ConfigError('--mode', `expected rolling or anchored, got '${mode}'`);
  const setup = await researchSetup(v);
  const space = paramSpace(setup.definition, parseRanges(v.range), setup.params);
  const objectives = parseObjectives((v.objective ?? 'netProfit').split(','), '--objective');
  const inSample = parseCount(v['in-sample'], '--in-sample', 2000);
  const outOfSample = parseCount(v['out-of-sample'], '--out-of-sample', 500);
  const workers = parseCount(v.workers, '--workers', availableParallelism(), 0);
  const evaluator: Evaluator =
    workers > 0 ? createWorkerEvaluator({ strategyId: setup.definition.id, load: setup.load, fill: setup.fill, workers }) : createLocalEvaluator({ definition: setup.definition, series: setup.series, fill: setup.fill });
  let res;
  try {
    const progress = progressFor(io, v.json === true, 'walk-forward windows');
    res = await walkForward({
      definition: setup.definition,
      series: setup.series,
      evaluator,
      search: {
        method,
        space,
        objectives,
        seed: setup.seed,
        ...(v.samples !== undefined ? { samples: parseCount(v.samples, '--samples', 200) } : {}),
        ...(v.population !== undefined ? { population: parseCount(v.population, '--population', 40, 4) } : {}),
        ...(v.generations !== undefined ? { generations: parseCount(v.generations, '--generations', 20) } : {}),
      },
      inSample,
      outOfSample,
      mode,
      fill: setup.fill,
      ...(progress ? { onWindow: progress } : {}),
    });
  } catch (err) {
    // Name the flag, not the option field.
    if (err instanceof ConfigError && (err.key === 'inSample' || err.key === 'outOfSample')) throw new ConfigError(err.key === 'inSample' ? '--in-sample' : '--out-of-sample', err.message.slice(err.key.length + 2));
    throw err;
  } finally {
    await evaluator.close();
  }
  const runId = makeRunId('walk-forward');
  const iso = (t: number) => new Date(t).toISOString().slice(0, 16);
  const out = { runId, strategy: setup.definition.id, symbols: setup.symbols, timeframe: setup.timeframe, method, mode, seed: setup.seed, inSample, outOfSample, efficiency: res.efficiency, stitchedReturnPct: res.stitchedReturnPct, windows: res.windows, outOfSampleTrades: res.outOfSampleTrades.length };
  const written = await writeReport(setup.resultsDir, runId, { ...out, stitched: res.stitched }, {
    title: `walk-forward ${setup.definition.id} (${mode})`,
    kind: 'walk-forward',
    createdAt: new Date().toISOString(),
    settings: { strategy: setup.definition.id, symbols: setup.symbols.join(','), method, mode, inSample, outOfSample, efficiency: res.efficiency, stitchedReturnPct: res.stitchedReturnPct },
    equity: res.stitched,
    markets: setup.series.map((s) => ({ symbol: s.symbol, candles: s.candles, trades: res.outOfSampleTrades.filter((t) => t.symbol === s.symbol) })),
    tables: [
      {
        title: 'Windows',
        columns: ['#', 'in-sample', 'out-of-sample', 'params', 'IS return %', 'OOS return %', 'OOS trades', 'efficiency'],
        rows: res.windows.map((w) => [w.index, `${iso(w.inSample.from)} → ${iso(w.inSample.to)}`, `${iso(w.outOfSample.from)} → ${iso(w.outOfSample.to)}`, w.params, w.inSampleScore.returnPct, w.outOfSampleScore.returnPct, w.outOfSampleScore.trades, w.efficiency]),
      },
    ],
  });
  if (v.json) {
    io.out(JSON.stringify({ ...out, resultsDir: written.dir }));
    return 0;
  }
  io.out(`walk-forward ${setup.definition.id} ${mode}: ${res.windows.length} windows of ${inSample} in-sample + ${outOfSample} out-of-sample candles`);
  for (const w of res.windows) io.out(`  #${w.index} ${iso(w.outOfSample.from)} IS ${w.inSampleScore.returnPct.toFixed(2)}% → OOS ${w.outOfSampleScore.returnPct.toFixed(2)}% ${JSON.stringify(w.params)}`);
  io.out(`stitched out-of-sample return ${res.stitchedReturnPct.toFixed(2)}%, walk-forward efficiency ${res.efficiency.toFixed(3)}`);
  io.out(`report: ${written.reportHtml}`);
  return 0;
}

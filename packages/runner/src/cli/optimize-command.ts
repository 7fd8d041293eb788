import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { ConfigError, type EngineReport, type EquityPoint, type PerformanceMetrics, performanceMetrics } from '@kairos/core';
import {
  type Evaluator,
  type OptimizeMethod,
  type SensitivityResult,
  createLocalEvaluator,
  createWorkerEvaluator,
  makeRunId,
  optimize,
  paramSpace,
  parseObjectives,
  parseRanges,
  runEngine,
  sensitivity,
  writeReport,
} from '@kairos/research';
import { OPTIMIZER_OPTIONS, parseCount, progressFor, RESEARCH_OPTIONS, researchSetup } from './research-flags';
import type { CommandIo } from './io';

export const OPTIMIZE_USAGE = `kairos optimize --strategy ma-cross --range fast=5:50 --range slow=20:200:5 [--range kind=sma,ema]
  [--method grid|random|genetic|nsga2] [--objective netProfit|returnPct|sharpe|maxDrawdownPct|fewTrades,...] [--seed 1]
  [--samples 200] [--population 40] [--generations 20] [--workers N (default: all cores; 0 = this thread)]
  [--symbols ...] [--timeframe 1h] [--from ISO] [--to ISO] [--param name=value ...] [--results DIR] [--json]`;

const METHODS: readonly OptimizeMethod[] = ['grid', 'random', 'genetic', 'nsga2'];

/** Optimizes a strategy's parameters on the fast sweep path; writes results/<run-id>/. */
export async function optimizeCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values: v } = parseArgs({
    args: argv,
    strict: true,
    options: {
      ...RESEARCH_OPTIONS,
      ...OPTIMIZER_OPTIONS,
    },
  });
  const method = (v.method ?? 'genetic') as OptimizeMethod;
  if (!METHODS.includes(method)) throw new ConfigError('--method', `unknown method '${v.method}'; allowed: ${METHODS.join(', ')}`, { allowed: METHODS });
  const setup = await researchSetup(v);
  const ranges = parseRanges(v.range);
  const space = paramSpace(setup.definition, ranges, setup.params);
  const objectives = parseObjectives((v.objective ?? (method === 'nsga2' ? 'returnPct,maxDrawdownPct' : 'netProfit')).split(',').map((s) => s.trim()), '--objective');
  const workers = parseCount(v.workers, '--workers', availableParallelism(), 0);
  const local = createLocalEvaluator({ definition: setup.definition, series: setup.series, fill: setup.fill });
  const evaluator: Evaluator = workers > 0 ? createWorkerEvaluator({ strategyId: setup.definition.id, load: setup.load, fill: setup.fill, workers }) : local;
  let result;
  try {
    result = await optimize({
      method,
      space,
      evaluator,
      objectives,
      seed: setup.seed,
      ...(v.samples !== undefined ? { samples: parseCount(v.samples, '--samples', 200) } : {}),
      ...(v.population !== undefined ? { population: parseCount(v.population, '--population', 40, 4) } : {}),
      ...(v.generations !== undefined ? { generations: parseCount(v.generations, '--generations', 20) } : {}),
      ...(progressFor(io, v.json === true, `optimize ${method}`) ? { onProgress: progressFor(io, v.json === true, `optimize ${method}`) } : {}),
    });
  } finally {
    await evaluator.close();
  }
  const best = result.best;
  const runId = makeRunId('optimize');
  let engineCheck: Record<string, unknown> | undefined;
  let sens: SensitivityResult | undefined;
  let report: { engine: EngineReport; metrics: PerformanceMetrics } | undefined;
  if (best) {
    // Re-run the winner in the event-driven Engine: the figure to trust, next to the sweep's.
    const engine = await runEngine({ definition: setup.definition, params: best.params, series: setup.series, risk: setup.risk(), fill: setup.fill });
    const metrics = performanceMetrics({ trades: engine.trades, equityCurve: engine.equityCurve, startEquity: engine.startEquity });
    engineCheck = { trades: engine.trades.length, netProfit: metrics.netProfit, maxDrawdownPct: metrics.drawdown.maxDrawdownPct, sharpe: metrics.sharpe };
    sens = await sensitivity({ space, evaluator: local, best: best.params, objective: objectives[0] as (typeof objectives)[number] });
    report = { engine, metrics };
  }
  const out = {
    runId,
    strategy: setup.definition.id,
    symbols: setup.symbols,
    timeframe: setup.timeframe,
    method,
    seed: result.seed,
    objectives,
    evaluations: result.evaluations,
    best: best ?? null,
    engineCheck: engineCheck ?? null,
    pareto: result.pareto.slice(0, 200),
    top: result.ranked.slice(0, 20),
    sensitivity: sens ?? null,
  };
  const written = await writeReport(setup.resultsDir, runId, out, {
    title: `optimize ${setup.definition.id} (${method})`,
    kind: 'optimize',
    createdAt: new Date().toISOString(),
    settings: { strategy: setup.definition.id, symbols: setup.symbols.join(','), timeframe: setup.timeframe, method, seed: result.seed, objectives: objectives.join(','), evaluations: result.evaluations, best: best?.params ?? null },
    ...(report ? { metrics: report.metrics, equity: report.engine.equityCurve.map((p: EquityPoint) => ({ time: p.time, equity: p.equity })), markets: setup.series.map((s) => ({ symbol: s.symbol, candles: s.candles, trades: (report as NonNullable<typeof report>).engine.trades.filter((t) => t.symbol === s.symbol) })) } : {}),
    pareto: { objectives, points: result.pareto.slice(0, 200).map((p) => ({ params: p.params, values: p.objectives })) },
    heatmaps: (sens?.heatmaps ?? []).map((h) => ({ title: `${sens?.objective} around the optimum`, x: h.x, y: h.y, xValues: h.xValues, yValues: h.yValues, values: h.metric })),
    tables: sens ? [{ title: 'Sensitivity (one parameter at a time)', columns: ['parameter', 'worst one-step drop', 'cliff', 'values → metric'], rows: sens.params.map((p) => [p.param, p.worstNeighbourDrop, p.cliff ? 'CLIFF' : 'ok', p.points.map((x) => `${String(x.value)}→${x.metric === null ? '—' : x.metric.toFixed(2)}`).join('  ')]) }] : [],
  });
  if (v.json) {
    io.out(JSON.stringify({ ...out, resultsDir: written.dir }));
    return 0;
  }
  io.out(`optimize ${setup.definition.id} ${method} seed ${result.seed}: ${result.evaluations} sets evaluated`);
  if (best) {
    io.out(`best ${JSON.stringify(best.params)}`);
    io.out(`  sweep:  ${objectives.map((o, i) => `${o} ${(best.objectives[i] as number).toFixed(4)}`).join(', ')}; trades ${best.score.trades}`);
    io.out(`  engine: ${JSON.stringify(engineCheck)}`);
  } else io.out('no valid parameter set in the space');
  if (objectives.length > 1) io.out(`Pareto front: ${result.pareto.length} sets`);
  if (sens?.onCliff) io.out(`warning: the optimum sits on a cliff (${sens.params.filter((p) => p.cliff).map((p) => p.param).join(', ')})`);
  io.out(`report: ${written.reportHtml}`);
  return 0;
}

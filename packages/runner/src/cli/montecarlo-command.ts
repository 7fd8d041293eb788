import { parseArgs } from 'node:util';
import { ConfigError, performanceMetrics } from '@kairos/core';
import { makeRunId, monteCarlo, runEngine, writeReport } from '@kairos/research';
import type { CommandIo } from './io';
import { checkedParams, parseCount, RESEARCH_OPTIONS, researchSetup } from './research-flags';

export const MONTECARLO_USAGE = `kairos montecarlo --strategy ma-cross [--param name=value ...] [--method shuffle|bootstrap] [--runs 1000] [--ruin 0.5] [--seed 1]
  [--symbols ...] [--timeframe 1h] [--from ISO] [--to ISO] [--results DIR] [--json]`;

/** Backtests a strategy in the Engine, then resamples its trades (shuffle or bootstrap). */
export async function montecarloCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values: v } = parseArgs({ args: argv, strict: true, options: { ...RESEARCH_OPTIONS, method: { type: 'string' }, runs: { type: 'string' }, ruin: { type: 'string' } } });
  const method = v.method ?? 'bootstrap';
  if (method !== 'shuffle' && method !== 'bootstrap') throw new ConfigError('--method', `expected shuffle or bootstrap, got '${method}'`);
  const ruin = v.ruin === undefined ? 0.5 : Number(v.ruin);
  if (!(ruin > 0 && ruin <= 1)) throw new ConfigError('--ruin', `expected a share of equity lost in (0, 1], got '${v.ruin}'`);
  const runs = parseCount(v.runs, '--runs', 1000);
  const setup = await researchSetup(v);
  const params = checkedParams(setup.definition, setup.params);
  const engine = await runEngine({ definition: setup.definition, params, series: setup.series, risk: setup.risk(), fill: setup.fill });
  const metrics = performanceMetrics({ trades: engine.trades, equityCurve: engine.equityCurve, startEquity: engine.startEquity });
  const mc = monteCarlo({ trades: engine.trades, startEquity: engine.startEquity, method, runs, seed: setup.seed, ruinThreshold: ruin });
  const runId = makeRunId('montecarlo');
  const { fan, ...summary } = mc;
  const out = { runId, strategy: setup.definition.id, params, symbols: setup.symbols, timeframe: setup.timeframe, ...summary };
  const written = await writeReport(setup.resultsDir, runId, { ...out, fan }, {
    title: `Monte Carlo ${setup.definition.id} (${method})`,
    kind: 'montecarlo',
    createdAt: new Date().toISOString(),
    settings: { strategy: setup.definition.id, params, symbols: setup.symbols.join(','), method, runs, seed: setup.seed, ruinThreshold: ruin },
    metrics,
    equity: engine.equityCurve.map((p) => ({ time: p.time, equity: p.equity })),
    markets: setup.series.map((s) => ({ symbol: s.symbol, candles: s.candles, trades: engine.trades.filter((t) => t.symbol === s.symbol) })),
    monteCarlo: {
      method,
      fan,
      summary: {
        'final equity p5/p50/p95': `${mc.finalEquity.p5.toFixed(2)} / ${mc.finalEquity.p50.toFixed(2)} / ${mc.finalEquity.p95.toFixed(2)}`,
        'max drawdown % p5/p50/p95': `${mc.maxDrawdownPct.p5.toFixed(2)} / ${mc.maxDrawdownPct.p50.toFixed(2)} / ${mc.maxDrawdownPct.p95.toFixed(2)}`,
        'longest losing streak p5/p50/p95': `${mc.longestLosingStreak.p5} / ${mc.longestLosingStreak.p50} / ${mc.longestLosingStreak.p95}`,
        [`probability of losing ${(ruin * 100).toFixed(0)}%`]: mc.probabilityOfRuin,
      },
    },
  });
  if (v.json) {
    io.out(JSON.stringify({ ...out, resultsDir: written.dir }));
    return 0;
  }
  io.out(`Monte Carlo ${method} × ${runs} over ${engine.trades.length} trades of ${setup.definition.id} (seed ${setup.seed})`);
  io.out(`final equity      p5 ${mc.finalEquity.p5.toFixed(2)}  p50 ${mc.finalEquity.p50.toFixed(2)}  p95 ${mc.finalEquity.p95.toFixed(2)}`);
  io.out(`max drawdown %    p5 ${mc.maxDrawdownPct.p5.toFixed(2)}  p50 ${mc.maxDrawdownPct.p50.toFixed(2)}  p95 ${mc.maxDrawdownPct.p95.toFixed(2)}`);
  io.out(`losing streak     p5 ${mc.longestLosingStreak.p5}  p50 ${mc.longestLosingStreak.p50}  p95 ${mc.longestLosingStreak.p95}`);
  io.out(`probability of ruin (−${(ruin * 100).toFixed(0)}%): ${(mc.probabilityOfRuin * 100).toFixed(2)}%`);
  io.out(`report: ${written.reportHtml}`);
  return 0;
}

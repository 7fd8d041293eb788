import { parseArgs } from 'node:util';
import { builtinStrategies } from '@kairos/core';
import { type LookaheadReport, lookaheadCheck, makeRunId, writeReport } from '@kairos/research';
import type { CommandIo } from './io';
import { checkedParams, parseCount, RESEARCH_OPTIONS, researchSetup } from './research-flags';

export const LOOKAHEAD_USAGE = `kairos lookahead [--strategy <id>|all] [--param name=value ...] [--cuts 8] [--symbols ...] [--timeframe 1h] [--from ISO] [--to ISO] [--results DIR] [--json]
  (exit code 1 when a strategy looks ahead)`;

/** Checks strategies for lookahead: full vs truncated data must give the same signals and indicators. */
export async function lookaheadCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values: v } = parseArgs({ args: argv, strict: true, options: { ...RESEARCH_OPTIONS, cuts: { type: 'string' } } });
  const all = v.strategy === undefined || v.strategy === 'all';
  const ids = all ? builtinStrategies().ids() : [v.strategy as string];
  const cuts = parseCount(v.cuts, '--cuts', 8);
  const reports: LookaheadReport[] = [];
  let setup;
  for (const id of ids) {
    setup = await researchSetup({ ...v, strategy: id, ...(all ? { param: [] } : {}) });
    const params = checkedParams(setup.definition, setup.params);
    const strategy = setup.definition.create(params);
    for (const series of setup.series) reports.push(lookaheadCheck({ subject: { id, create: () => strategy }, series, cuts }));
  }
  const failed = reports.filter((r) => !r.passed);
  const runId = makeRunId('lookahead');
  const out = { runId, passed: failed.length === 0, reports };
  const written = await writeReport(setup?.resultsDir ?? 'results', runId, out, {
    title: 'lookahead check',
    kind: 'lookahead',
    createdAt: new Date().toISOString(),
    tables: [
      { title: 'Strategies', columns: ['strategy', 'symbol', 'result', 'signals compared', 'differences'], rows: reports.map((r) => [r.strategyId, r.symbol, r.passed ? 'pass' : 'LOOKAHEAD', r.signalsCompared, r.differences.length]) },
      { title: 'Differences (first 100 per run)', columns: ['strategy', 'symbol', 'kind', 'cut', 'candle', 'name', 'full', 'truncated'], rows: failed.flatMap((r) => r.differences.map((d) => [r.strategyId, r.symbol, d.kind, d.cut, new Date(d.time).toISOString(), d.name ?? '', d.full, d.truncated])) },
      { title: 'Recursion (start-dependence of indicators, informational)', columns: ['strategy', 'symbol', 'indicator', 'offset', 'max relative difference'], rows: reports.flatMap((r) => r.recursion.map((x) => [r.strategyId, r.symbol, x.name, x.offset, x.maxRelDiff])) },
    ],
  });
  if (v.json) io.out(JSON.stringify({ ...out, resultsDir: written.dir }));
  else {
    for (const r of reports) io.out(`${r.passed ? 'pass     ' : 'LOOKAHEAD'} ${r.strategyId} ${r.symbol}: ${r.signalsCompared} signals compared, ${r.differences.length} differences`);
    io.out(`report: ${written.reportHtml}`);
  }
  return failed.length === 0 ? 0 : 1;
}

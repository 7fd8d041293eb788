import { parseArgs } from 'node:util';
import { builtinStrategies, summarize } from '@kairos/core';
import { defaultDataDir } from '../wiring/data-dir';
import { createSimulation } from '../wiring/simulation';
import { RUN_OPTIONS, parseDate, parseMaxJump } from './args';
import { configFromFlags } from './build-config';
import { writeBacktestReport } from './backtest-report';
import { formatSummary, formatTrades, tradeRow } from './format';
import type { CommandIo } from './io';
import { rejectionJson, rejectionLines } from './rejection-report';

export const BACKTEST_USAGE = `kairos backtest --strategy <id>[,<id>...] --symbols BTC/USDT,ETH/USDT --timeframe 1h
  (--strategy auto: strategies and weights from the market regime before the start)
  [--from ISO] [--to ISO] [--data DIR|store:DIR] [--param name=value ...] [--weights 0.6,0.4] [--risk default|none] [--fraction 0.2] [--balance 10000] [--max-jump 100|off] [--report [--results DIR]] [--json]
  (several strategies: --param <id>.<name>=value, --param aggregate.entryThreshold=0.2)`;

/** Runs a backtest over candle files and prints trades and the summary (or one JSON object). */
export async function backtestCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      ...RUN_OPTIONS,
      weights: { type: 'string' },
      risk: { type: 'string' },
      report: { type: 'boolean', default: false },
    },
  });
  const strategies = builtinStrategies();
  const config = configFromFlags(values, 'backtest', strategies, { symbols: 'BTC/USDT' });
  const from = parseDate(values.from, '--from');
  const to = parseDate(values.to, '--to');
  const sim = await createSimulation({
    config,
    mode: 'backtest',
    dataDir: values.data ?? defaultDataDir(),
    candleSanity: parseMaxJump(values['max-jump']),
    strategies,
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
  });
  const report = await sim.engine.run();
  const summary = summarize(report.trades, report.equityCurve, report.startEquity);
  const written = values.report ? await writeBacktestReport(values.results ?? 'results', config, sim, report, { strategy: config.strategy, symbols: config.symbols, timeframe: config.timeframe, ...summary }) : undefined;
  if (values.json) {
    io.out(
      JSON.stringify({
        strategy: sim.auto ? { id: 'auto', chosen: sim.auto.recommendation.spec, reason: sim.auto.recommendation.reason, regimes: sim.auto.regimes } : config.strategy,
        symbols: config.symbols,
        timeframe: config.timeframe,
        candles: report.candles,
        ...summary,
        openPositions: report.openPositions,
        ordersPlaced: report.ordersPlaced,
        strategyErrors: report.strategyErrors,
        rejections: report.rejections,
        ...rejectionJson(report),
        gaps: sim.gaps,
        tradeList: report.trades.map(tradeRow),
        ...(written ? { resultsDir: written.dir } : {}),
      }),
    );
    return 0;
  }
  io.out(`backtest ${config.strategy.id} on ${config.symbols.join(', ')} ${config.timeframe}: ${report.candles} candles`);
  if (sim.auto) {
    for (const r of sim.auto.regimes) io.out(`regime ${r.symbol}: ${r.regime.kind}${r.regime.direction ? ` ${r.regime.direction}` : ''}`);
    io.out(`auto chose ${sim.auto.recommendation.spec.id} (${sim.auto.recommendation.reason}), trading from ${new Date(sim.auto.start).toISOString()}`);
  }
  for (const g of sim.gaps) io.out(`data gap: ${g.symbol} ${g.missing} candles missing after ${new Date(g.from).toISOString()}`);
  io.out(formatTrades(report.trades));
  io.out('');
  io.out(formatSummary(summary, config.quote));
  if (report.openPositions > 0) io.out(`open positions at end: ${report.openPositions} (in equity, not in net profit)`);
  for (const line of rejectionLines(report, config.quote)) io.out(line);
  if (written) io.out(`report: ${written.reportHtml}`);
  return 0;
}

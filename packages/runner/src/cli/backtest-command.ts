import { parseArgs } from 'node:util';
import { builtinStrategies, summarize } from '@kairos/core';
import { defaultDataDir } from '../wiring/data-dir';
import { createSimulation } from '../wiring/simulation';
import { parseDate } from './args';
import { configFromFlags } from './build-config';
import { formatSummary, formatTrades, tradeRow } from './format';
import type { CommandIo } from './io';

export const BACKTEST_USAGE = `kairos backtest --strategy ma-cross --symbols BTC/USDT,ETH/USDT --timeframe 1h
  [--from ISO] [--to ISO] [--data DIR] [--param name=value ...] [--fraction 0.2] [--balance 10000] [--json]`;

/** Runs a backtest over candle files and prints trades and the summary (or one JSON object). */
export async function backtestCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      strategy: { type: 'string' },
      symbols: { type: 'string' },
      timeframe: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      data: { type: 'string' },
      param: { type: 'string', multiple: true },
      fraction: { type: 'string' },
      balance: { type: 'string' },
      json: { type: 'boolean', default: false },
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
    strategies,
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
  });
  const report = await sim.engine.run();
  const summary = summarize(report.trades, report.equityCurve, report.startEquity);
  if (values.json) {
    io.out(
      JSON.stringify({
        strategy: config.strategy,
        symbols: config.symbols,
        timeframe: config.timeframe,
        candles: report.candles,
        ...summary,
        openPositions: report.openPositions,
        ordersPlaced: report.ordersPlaced,
        strategyErrors: report.strategyErrors,
        rejections: report.rejections,
        gaps: sim.gaps,
        tradeList: report.trades.map(tradeRow),
      }),
    );
    return 0;
  }
  io.out(`backtest ${config.strategy.id} on ${config.symbols.join(', ')} ${config.timeframe}: ${report.candles} candles`);
  for (const g of sim.gaps) io.out(`data gap: ${g.symbol} ${g.missing} candles missing after ${new Date(g.from).toISOString()}`);
  io.out(formatTrades(report.trades));
  io.out('');
  io.out(formatSummary(summary, config.quote));
  if (report.openPositions > 0) io.out(`open positions at end: ${report.openPositions} (in equity, not in net profit)`);
  if (report.rejections.length > 0) io.out(`risk rejections: ${report.rejections.length}`);
  return 0;
}

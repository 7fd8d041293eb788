import { type EngineReport, type KairosConfig, performanceMetrics } from '@kairos/core';
import { type WrittenReport, makeRunId, monteCarlo, writeReport } from '@kairos/research';
import type { Simulation } from '../wiring/simulation';

/**
 * Writes `results/<run-id>/` for a finished backtest (`kairos backtest --report`): the
 * full metrics in result.json and a self-contained report.html with the equity curve,
 * drawdown, trades on candlesticks, monthly returns and a Monte Carlo fan.
 */
export async function writeBacktestReport(resultsDir: string, config: KairosConfig, sim: Simulation, report: EngineReport, extra: Readonly<Record<string, unknown>>): Promise<WrittenReport> {
  const metrics = performanceMetrics({ trades: report.trades, equityCurve: report.equityCurve, startEquity: report.startEquity });
  const mc = monteCarlo({ trades: report.trades, startEquity: Math.max(report.startEquity, 1e-9), method: 'bootstrap', runs: 1000, seed: 1 });
  const markets = await Promise.all(
    config.symbols.map(async (symbol) => ({ symbol, candles: await sim.exchange.fetchCandles(symbol, config.timeframe), trades: report.trades.filter((t) => t.symbol === symbol) })),
  );
  const runId = makeRunId('backtest');
  const { fan, ...mcSummary } = mc;
  return writeReport(resultsDir, runId, { runId, ...extra, metrics, monteCarlo: mcSummary, trades: report.trades, equityCurve: report.equityCurve }, {
    title: `backtest ${config.strategy.id} on ${config.symbols.join(', ')} ${config.timeframe}`,
    kind: 'backtest',
    createdAt: new Date().toISOString(),
    settings: { strategy: config.strategy.id, params: config.strategy.params, symbols: config.symbols.join(','), timeframe: config.timeframe, balance: config.simulation.initialBalance, fraction: config.risk.fraction, candles: report.candles },
    metrics,
    equity: report.equityCurve.map((p) => ({ time: p.time, equity: p.equity })),
    markets,
    monteCarlo: {
      method: 'bootstrap',
      fan,
      summary: {
        'final equity p5/p50/p95': `${mc.finalEquity.p5.toFixed(2)} / ${mc.finalEquity.p50.toFixed(2)} / ${mc.finalEquity.p95.toFixed(2)}`,
        'max drawdown % p5/p50/p95': `${mc.maxDrawdownPct.p5.toFixed(2)} / ${mc.maxDrawdownPct.p50.toFixed(2)} / ${mc.maxDrawdownPct.p95.toFixed(2)}`,
        'probability of losing 50%': mc.probabilityOfRuin,
      },
    },
  });
}

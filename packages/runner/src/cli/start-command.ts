import { parseArgs } from 'node:util';
import { ConfigError, EventBus, type Logger, Reconciler, TradingGate, builtinStrategies, isTerminalStatus, summarize } from '@kairos/core';
import { PersistentSimulatedExchange } from '@kairos/exchange';
import { cliLogger } from '../wiring/cli-logger';
import { defaultDataDir } from '../wiring/data-dir';
import { openTradeStore, storeAwayText } from '../wiring/open-trade-store';
import { createSimulation } from '../wiring/simulation';
import { parsePositive } from './args';
import { configFromFlags } from './build-config';
import { formatSummary } from './format';
import type { CommandIo } from './io';
import { rejectionLines } from './rejection-report';

export const START_USAGE = `kairos start [--mode paper] [--strategy ma-cross] [--symbols BTC/USDT,ETH/USDT] [--timeframe 1h]
  [--speed 100000] [--summary-every 5] [--data DIR] [--param name=value ...] [--risk default|none]
  [--store memory|file:DIR|redis://HOST:PORT (default: $REDIS_URL, else memory)] [--session ID] [--accept-venue]
  [--journal DIR (Redis outage journal; default .kairos/journal/<session>)] [--verbose]`;

export interface StartOptions {
  /**
   * Receives the store's, the engine's and reconciliation's warnings. Default: one text
   * line each on `io.err` (warnings and errors; info too with `--verbose`).
   */
  readonly logger?: Logger;
  /** Installs stop handlers; defaults to SIGINT/SIGTERM on the process. */
  readonly onStopSignal?: (stop: (reason: string) => void) => () => void;
  /** Environment to read `REDIS_URL` from (default: the process's). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * A Ctrl-C reaches every process of the group, and package runners forward it again,
 * so the same stop can arrive twice: later signals are absorbed (the third one forces
 * an exit) instead of killing the process mid-shutdown.
 */
function processSignals(stop: (reason: string) => void): () => void {
  let received = 0;
  const handle = (signal: string) => {
    received += 1;
    if (received === 1) stop(signal);
    else if (received >= 3) process.exit(130);
  };
  const onInt = () => handle('SIGINT');
  const onTerm = () => handle('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return () => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  };
}

/**
 * Runs the bot. Paper mode (the default) replays the bundled candles at an accelerated
 * pace through the same Engine as backtests; SIGINT/SIGTERM stop new orders, print a
 * final summary and exit 0.
 */
export async function startCommand(argv: string[], io: CommandIo, options: StartOptions = {}): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      mode: { type: 'string', default: 'paper' },
      strategy: { type: 'string' },
      symbols: { type: 'string' },
      timeframe: { type: 'string' },
      speed: { type: 'string' },
      'summary-every': { type: 'string' },
      data: { type: 'string' },
      param: { type: 'string', multiple: true },
      fraction: { type: 'string' },
      balance: { type: 'string' },
      risk: { type: 'string' },
      store: { type: 'string' },
      session: { type: 'string' },
      journal: { type: 'string' },
      'accept-venue': { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
    },
  });
  if (values.mode !== 'paper') {
    io.err(`--mode: '${values.mode}' is not available in this build; allowed: paper (live trading needs the ccxt adapter and explicit opt-in)`);
    return 2;
  }
  const strategies = builtinStrategies();
  const base = configFromFlags(values, 'paper', strategies, { symbols: 'BTC/USDT,ETH/USDT' });
  // A replay re-makes the same decisions at the same market times, so each paper session
  // keeps its own account in the store: its orders never collide with an earlier run's.
  const session = values.session ?? `paper-${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}`;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(session)) throw new ConfigError('--session', `'${session}' must be 1-64 letters, digits, '-' or '_'`);
  const config = { ...base, userId: session };
  const gate = new TradingGate();
  // Without a logger a dropped torn record, a store outage or a mismatch would go unseen.
  const logger = options.logger ?? cliLogger(io, values.verbose ? 'info' : 'warn');
  const opened = await openTradeStore(values.store, options.env ?? process.env, { gate, logger, session, ...(values.journal !== undefined ? { journalDir: values.journal } : {}) });
  const speed = parsePositive(values.speed, '--speed', 100_000);
  const every = parsePositive(values['summary-every'], '--summary-every', 5) * 1000;
  const bus = new EventBus((event, error) => io.err(`listener for ${event} failed: ${String(error)}`));
  const sim = await createSimulation({
    config,
    mode: 'paper',
    dataDir: values.data ?? defaultDataDir(),
    strategies,
    speed,
    bus,
    store: opened.store,
    gate,
    logger,
    // The session's venue lives in the store too: a restart goes on with its balances and
    // orders instead of fresh funds.
    venue: { store: opened.store, key: `sim-venue:${config.userId}`, logger },
  });
  // No entry before the store and the exchange agree (resolves intents left by a crash);
  // a position that differs from the venue blocks entries unless --accept-venue adopts it.
  const acceptVenue = values['accept-venue'] === true;
  const reconciliation = await new Reconciler({ exchange: sim.exchange, store: opened.store, userId: config.userId, gate, logger, blockOnMismatch: !acceptVenue }).reconcile();
  for (const m of reconciliation.positionMismatches) {
    logger.warn({ session: config.userId, currency: m.currency, store: m.store, exchange: m.exchange, tolerance: m.tolerance }, 'reconciliation: position differs from the stored fills');
  }
  if (acceptVenue && reconciliation.positionMismatches.length > 0) {
    // Adopted, not forgotten: the differences stay in the store beside the session.
    await opened.store.setValue(`reconcile:${config.userId}:accepted:${Date.now()}`, JSON.stringify(reconciliation.positionMismatches));
    logger.warn({ session: config.userId, mismatches: reconciliation.positionMismatches.length }, 'reconciliation: the venue view was adopted (--accept-venue); the differences are recorded in the store');
  }
  const { engine } = sim;
  // A store that came back empty or from an older state must not be written on: halt at once, exits too.
  opened.journaling?.onStateLost(() => engine.stop('store state lost'));
  const ts = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ');

  bus.on('order.submitted', ({ order }) =>
    io.out(`[order] ${order.side.toUpperCase()} ${order.amount} ${order.symbol} (${order.purpose}) id=${order.clientOrderId}`),
  );
  bus.on('order.filled', ({ fill }) =>
    io.out(`[fill]  ${ts(fill.time)} ${fill.side.toUpperCase()} ${fill.amount} ${fill.symbol} @ ${fill.price.toPrecision(8)} fee ${fill.fee.cost.toFixed(4)} ${fill.fee.currency}`),
  );
  bus.on('trade.closed', ({ trade }) => io.out(`[trade] ${trade.symbol} closed pnl ${trade.pnl.toFixed(2)} ${config.quote} (${trade.pnlPct.toFixed(2)} %)`));
  bus.on('risk.rejected', ({ proposal, policyId, reason }) => io.out(`[risk]  ${proposal.symbol} ${proposal.side} rejected by ${policyId}: ${reason}`));
  bus.on('order.rejected', ({ symbol, code, reason }) => io.out(`[order] ${symbol} rejected ${code}: ${reason}`));
  bus.on('symbol.paused', ({ pause }) =>
    io.out(`[pause] ${pause.symbol}: ${pause.repeats}× ${pause.code} in a row; its orders wait until ${ts(pause.until)} (${pause.reason})`),
  );
  for (const g of sim.gaps) io.out(`[data]  gap in ${g.symbol}: ${g.missing} candles missing after ${ts(g.from)}`);

  let lastCandleTime = 0;
  bus.on('candle.closed', ({ candle }) => {
    lastCandleTime = candle.time;
  });
  const summaryLine = () => {
    const s = engine.stats;
    const equity = engine.account?.equity() ?? 0;
    io.out(
      `[summary] market time ${lastCandleTime ? ts(lastCandleTime) : '-'} | candles ${s.candles} | orders ${s.ordersPlaced} | trades ${s.trades} | rejected: risk ${s.rejections}, exchange ${s.orderRejections} | equity ${equity.toFixed(2)} ${config.quote}${opened.journaling ? ` | ${storeAwayText(opened.journaling.away)}` : ''}`,
    );
  };
  const timer = setInterval(summaryLine, every);
  const uninstall = (options.onStopSignal ?? processSignals)((reason) => {
    io.out(`[stop] ${reason}: no new orders; finishing`);
    engine.stop(reason);
  });
  io.out(`kairos paper trading ${config.symbols.join(', ')} ${config.timeframe} with ${config.strategy.id} at ${speed}x (Ctrl-C to stop)`);
  io.out(`[store] ${opened.description}, session ${config.userId}; reconciliation ${reconciliation.passed ? 'passed' : 'FAILED: entries blocked'}`);
  for (const m of reconciliation.positionMismatches) {
    io.out(`[reconcile] ${m.currency}: stored fills say ${m.store}, the venue holds ${m.exchange}${acceptVenue ? ' (venue adopted)' : ' (entries blocked; --accept-venue adopts the venue)'}`);
  }
  if (sim.resumed) {
    const matched = Object.values(sim.resumed.matchedUntil);
    const open = sim.resumed.orders.filter((o) => !isTerminalStatus(o.order.status)).length;
    io.out(`[store] resumed session ${config.userId}: venue as of ${matched.length > 0 ? ts(Math.min(...matched)) : '-'}, ${open} open orders; earlier candles only warm the indicators up`);
  }
  try {
    const report = await engine.run();
    const summary = summarize(report.trades, report.equityCurve, report.startEquity);
    io.out(`[stop] ${report.stopReason}`);
    io.out(formatSummary(summary, config.quote));
    for (const line of rejectionLines(report, config.quote)) io.out(line);
    if (opened.journaling) io.out(`[store] ${storeAwayText(opened.journaling.away)} in this run`);
    // Thrown, not printed: the CLI reports it as `error [STORE_STATE_LOST] …` and exits 1.
    if (opened.journaling?.stateLost) throw opened.journaling.stateLost;
    return 0;
  } finally {
    clearInterval(timer);
    uninstall();
    // The venue's last state reaches the store before it closes.
    if (sim.exchange instanceof PersistentSimulatedExchange) await sim.exchange.flush().catch(() => undefined);
    await opened.store.close?.();
  }
}

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  Engine,
  type EngineReport,
  EventBus,
  type Market,
  MemoryTradeStore,
  type RiskPolicy,
  type Signal,
  SimulatedClock,
  type Strategy,
  builtinStrategies,
  summarize,
  type RunSummary,
} from '@kairos/core';
import { type CcxtMarketShape, ReplayFeed, SimulatedExchange, loadCandleDirectory, marketFromCcxt, syntheticMarket } from '@kairos/exchange';
import { attachRiskPolicy } from '../../src/attach-risk-policy';

export const DATA_DIR = join(import.meta.dirname, '../../../../data');

export interface HarnessRun {
  readonly report: EngineReport;
  readonly summary: RunSummary;
  readonly bus: EventBus;
}

/**
 * Runs the real Engine over bundled candles the way the runner's simulation wiring does,
 * with one addition standing in for the engine-side position monitor the lead will wire:
 * before the strategy decides, the policy's `exits()` are asked, and an exit becomes a
 * sell signal (full exits only; the engine sells the whole position on a sell).
 */
export async function runEngine(opts: {
  symbols: string[];
  risk: RiskPolicy;
  strategy?: string;
  params?: Record<string, unknown>;
  balance?: number;
  to?: number;
  bus?: EventBus;
}): Promise<HarnessRun> {
  const loaded = await loadCandleDirectory(DATA_DIR, opts.symbols, '1h');
  let sample: Record<string, CcxtMarketShape> = {};
  try {
    sample = JSON.parse(await readFile(join(DATA_DIR, 'markets', 'binance-spot-sample.json'), 'utf8')) as Record<string, CcxtMarketShape>;
  } catch {
    sample = {};
  }
  const markets: Market[] = loaded.map(({ symbol, candles }) => {
    const m = sample[symbol];
    return { ...(m ? marketFromCcxt(m, 'decimals') : syntheticMarket(symbol, candles)), makerFee: 0.001, takerFee: 0.001 };
  });
  const bySymbol = new Map(markets.map((m) => [m.symbol, m]));
  const exchange = new SimulatedExchange({ markets, balances: { USDT: opts.balance ?? 10_000 }, slippageBps: 5, volumeParticipation: 0.1 });
  const feed = new ReplayFeed({ timeframe: '1h', series: Object.fromEntries(loaded.map((l) => [l.symbol, l.candles])), ...(opts.to ? { to: opts.to } : {}) });
  const clock = new SimulatedClock();
  const bus = opts.bus ?? new EventBus();
  const inner = builtinStrategies().create(opts.strategy ?? 'ma-cross', opts.params ?? {});
  const holder: { engine?: Engine } = {};
  const risk = opts.risk;
  const strategy: Strategy = {
    id: inner.id,
    warmup: inner.warmup,
    indicators: inner.indicators,
    decide(view) {
      const account = holder.engine?.account;
      const pos = account?.positions.get(view.symbol);
      const market = bySymbol.get(view.symbol);
      if (pos && market && risk.exits) {
        const ctx = { now: view.time, market, freeQuote: account?.cash ?? 0, equity: account?.equity() ?? 0, positions: account?.positions ?? new Map(), openOrders: new Map<string, number>() };
        const exit = risk.exits(pos, ctx)[0];
        if (exit) {
          const s: Signal = { symbol: view.symbol, time: view.time, direction: 'sell', strength: -1, confidence: 1, source: 'risk', reason: exit.reason };
          return s;
        }
      }
      return inner.decide(view);
    },
  };
  const engine = new Engine({ mode: 'backtest', userId: 'u1', quote: 'USDT', timeframe: '1h', feed, exchange, matching: exchange, strategy, risk, store: new MemoryTradeStore(clock), clock, bus });
  holder.engine = engine;
  attachRiskPolicy(bus, risk, 'u1');
  await risk.start?.();
  const report = await engine.run();
  await risk.flush?.();
  return { report, summary: summarize(report.trades, report.equityCurve, report.startEquity), bus };
}

import { Engine, type EngineReport, EventBus, MemoryTradeStore, type RiskPolicy, SimulatedClock, type StrategyDefinition, parseStrategyParams } from '@kairos/core';
import { ReplayFeed, SimulatedExchange } from '@kairos/exchange';
import { DEFAULT_FILL, type SweepFillConfig } from '../sweep/fill-model';
import type { SeriesData } from '../sweep/series-data';

export interface EngineRunOptions {
  readonly definition: StrategyDefinition;
  readonly params: Readonly<Record<string, unknown>>;
  readonly series: readonly SeriesData[];
  /** The sizing policy (the runner passes `FixedFractionSizing` with `fill.fraction`). */
  readonly risk: RiskPolicy;
  readonly fill?: Partial<SweepFillConfig>;
  readonly quote?: string;
  readonly bus?: EventBus;
}

/**
 * Runs the event-driven Engine over the series exactly as `kairos backtest` wires it
 * (simulated exchange and clock, replay feed, memory store): the reference every sweep
 * result can be re-checked against.
 */
export async function runEngine(opts: EngineRunOptions): Promise<EngineReport> {
  const fill = { ...DEFAULT_FILL, ...opts.fill };
  const first = opts.series[0];
  if (!first) throw new Error('runEngine needs at least one series');
  const quote = opts.quote ?? first.market.quote;
  const exchange = new SimulatedExchange({
    markets: opts.series.map((s) => s.market),
    balances: { [quote]: fill.initialCash },
    slippageBps: fill.slippageBps,
    volumeParticipation: fill.volumeParticipation,
  });
  const candles = Object.fromEntries(opts.series.map((s) => [s.symbol, s.candles]));
  const feed = new ReplayFeed({ timeframe: first.timeframe, series: candles });
  const clock = new SimulatedClock();
  const engine = new Engine({
    mode: 'backtest',
    userId: 'research',
    quote,
    timeframe: first.timeframe,
    feed,
    exchange,
    matching: exchange,
    strategy: opts.definition.create(parseStrategyParams(opts.definition, opts.params)),
    // As `kairos backtest` does: every candle is known up front, so indicators are computed once, in batch.
    preload: candles,
    risk: opts.risk,
    store: new MemoryTradeStore(clock),
    clock,
    bus: opts.bus ?? new EventBus(),
  });
  return engine.run();
}

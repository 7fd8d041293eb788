import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  Engine,
  type EngineMode,
  EventBus,
  type KairosConfig,
  type Logger,
  type Market,
  MemoryTradeStore,
  SimulatedClock,
  type StrategyRegistry,
  type Timeframe,
  type TradeStore,
  type TradingGate,
} from '@kairos/core';
import {
  type CandleGap,
  type CandleSanityOptions,
  type CcxtMarketShape,
  PersistentSimulatedExchange,
  ReplayFeed,
  SimulatedExchange,
  type SimulatedVenueState,
  type VenuePersistence,
  loadCandleDirectory,
  loadStoreCandles,
  marketFromCcxt,
  syntheticMarket,
} from '@kairos/exchange';
import { createRiskPolicy } from '@kairos/risk';
import { type AutoRecommendation, recommendForRun } from './auto-strategy';
import { defaultDataDir } from './data-dir';

export interface SimulationSetup {
  readonly config: KairosConfig;
  readonly mode: Extract<EngineMode, 'backtest' | 'paper'>;
  readonly dataDir: string;
  readonly strategies: StrategyRegistry;
  readonly from?: number;
  readonly to?: number;
  /** Replay pace for paper mode (market time per real time); omitted = as fast as possible. */
  readonly speed?: number;
  readonly store?: TradeStore;
  /** Holds entries back until reconciliation passes and while the store is down. */
  readonly gate?: TradingGate;
  readonly bus?: EventBus;
  readonly logger?: Logger;
  /**
   * Keeps the simulated venue in the trade store (paper sessions): a session saved there
   * resumes with its balances and orders, after the last candle it matched.
   */
  readonly venue?: VenuePersistence;
  /** Bounds on the candles loaded (jump factor, price and volume limits); defaults when omitted. */
  readonly candleSanity?: CandleSanityOptions;
}

export interface Simulation {
  readonly engine: Engine;
  readonly exchange: SimulatedExchange;
  readonly feed: ReplayFeed;
  readonly gaps: ReadonlyArray<CandleGap & { symbol: string }>;
  readonly markets: readonly Market[];
  /** What `--strategy auto` chose, and from which regimes. */
  readonly auto?: AutoRecommendation;
  /** The saved venue the session resumed from, if it did. */
  readonly resumed?: SimulatedVenueState;
}

/** Market rules: from the bundled ccxt sample where it lists the symbol, else derived from the candles. */
async function marketsFor(dataDir: string, loaded: Array<{ symbol: string; candles: Parameters<typeof syntheticMarket>[1] }>, fees: { maker: number; taker: number }): Promise<Market[]> {
  // The data folder's own market fixture wins; otherwise the bundled one (a history store
  // holds candles only).
  let sample: Record<string, CcxtMarketShape> = {};
  for (const dir of [dataDir, defaultDataDir()]) {
    try {
      sample = JSON.parse(await readFile(join(dir, 'markets', 'binance-spot-sample.json'), 'utf8')) as Record<string, CcxtMarketShape>;
      break;
    } catch {
      sample = {};
    }
  }
  return loaded.map(({ symbol, candles }) => {
    const m = sample[symbol];
    const base = m ? marketFromCcxt(m, 'decimals') : syntheticMarket(symbol, candles);
    return { ...base, makerFee: fees.maker, takerFee: fees.taker };
  });
}

/**
 * Wires one simulated run. Backtest and paper share this function, so they differ only
 * in the feed's pace: the parity guarantee lives here.
 */
export async function createSimulation(setup: SimulationSetup): Promise<Simulation> {
  const { config } = setup;
  const timeframe: Timeframe = config.timeframe;
  // 'store:<dir>' reads the compressed history store that `kairos download` fills;
  // anything else is a folder of candle CSVs.
  const loaded = setup.dataDir.startsWith('store:')
    ? await loadStoreCandles(setup.dataDir.slice('store:'.length), config.symbols, timeframe, setup.candleSanity)
    : await loadCandleDirectory(setup.dataDir, config.symbols, timeframe, setup.candleSanity);
  const sim = config.simulation;
  const markets = await marketsFor(setup.dataDir, loaded, { maker: sim.makerFee, taker: sim.takerFee });
  const venueOptions = {
    markets,
    balances: { [config.quote]: sim.initialBalance },
    slippageBps: sim.slippageBps,
    volumeParticipation: sim.volumeParticipation,
  };
  let exchange: SimulatedExchange;
  let resumed: SimulatedVenueState | undefined;
  if (setup.venue) {
    const opened = await PersistentSimulatedExchange.open(venueOptions, setup.venue);
    exchange = opened.exchange;
    resumed = opened.resumed;
  } else {
    exchange = new SimulatedExchange(venueOptions);
  }
  // 'auto' picks strategies from the regime of the candles before the run starts.
  const auto = config.strategy.id === 'auto' ? recommendForRun(loaded, setup.from) : undefined;
  const from = auto?.start ?? setup.from ?? Number.NEGATIVE_INFINITY;
  const to = setup.to ?? Number.POSITIVE_INFINITY;
  const series = Object.fromEntries(loaded.map((l) => [l.symbol, l.candles.filter((c) => c.time >= from && c.time < to)]));
  // A resumed session replays what it already matched only to warm its indicators up:
  // unpaced, and neither matched nor decided on again.
  const matched = resumed ? Object.values(resumed.matchedUntil) : [];
  const pacedFrom = matched.length > 0 ? Math.min(...matched) : undefined;
  const feed = new ReplayFeed({
    timeframe,
    series,
    ...(setup.speed !== undefined ? { speed: setup.speed } : {}),
    ...(pacedFrom !== undefined ? { pacedFrom } : {}),
  });
  const clock = new SimulatedClock();
  const store = setup.store ?? new MemoryTradeStore(clock);
  const risk = createRiskPolicy(config.risk, {
    store,
    userId: config.userId,
    clock,
    quote: config.quote,
    balances: exchange,
    ...(setup.logger ? { logger: setup.logger } : {}),
  });
  const engine = new Engine({
    mode: setup.mode,
    userId: config.userId,
    quote: config.quote,
    timeframe,
    feed,
    exchange,
    matching: exchange,
    strategy: setup.strategies.create(
      auto?.recommendation.spec.id ?? config.strategy.id,
      auto?.recommendation.spec.params ?? config.strategy.params,
      setup.logger ? { logger: setup.logger } : undefined,
    ),
    // Backtests know every candle up front: indicators are then computed once, in batch.
    ...(setup.mode === 'backtest' ? { preload: series } : {}),
    risk,
    store,
    clock,
    bus: setup.bus ?? new EventBus(),
    ...(setup.gate ? { gate: setup.gate } : {}),
    ...(setup.logger ? { logger: setup.logger } : {}),
    ...(resumed ? { warmupUntil: resumed.matchedUntil } : {}),
  });
  const gaps = loaded.flatMap((l) => l.gaps.map((g) => ({ ...g, symbol: l.symbol })));
  return { engine, exchange, feed, gaps, markets, ...(auto ? { auto } : {}), ...(resumed ? { resumed } : {}) };
}

import { ConfigError, type StrategyDefinition, type Timeframe, builtinStrategies, parseStrategyParams } from '@kairos/core';
import { FixedFractionSizing } from '@kairos/risk';
import { type LoadSeriesOptions, type SeriesData, type SweepFillConfig, createProgressBar, loadSeries } from '@kairos/research';
import { defaultDataDir } from '../wiring/data-dir';
import { RUN_OPTIONS, parseDate, parseMaxJump, parseParams, parsePositive, parseSymbols, parseTimeframe } from './args';
import type { CommandIo } from './io';

/** parseArgs options shared by the research commands (optimize, walk-forward, montecarlo, lookahead). */
export const RESEARCH_OPTIONS = {
  ...RUN_OPTIONS,
  slippage: { type: 'string' },
  fee: { type: 'string' },
  seed: { type: 'string' },
} as const;

/** The optimizer's options, shared by optimize and walk-forward. */
export const OPTIMIZER_OPTIONS = {
  method: { type: 'string' },
  range: { type: 'string', multiple: true },
  objective: { type: 'string' },
  samples: { type: 'string' },
  population: { type: 'string' },
  generations: { type: 'string' },
  workers: { type: 'string' },
} as const;

export interface ResearchFlags {
  strategy?: string;
  symbols?: string;
  timeframe?: string;
  from?: string;
  to?: string;
  data?: string;
  param?: string[];
  fraction?: string;
  balance?: string;
  slippage?: string;
  fee?: string;
  seed?: string;
  results?: string;
  'max-jump'?: string;
}

export interface ResearchSetup {
  readonly definition: StrategyDefinition;
  /** Fixed parameters from --param (validated against the strategy's schema when complete). */
  readonly params: Record<string, unknown>;
  readonly symbols: string[];
  readonly timeframe: Timeframe;
  readonly load: LoadSeriesOptions;
  readonly series: SeriesData[];
  readonly fill: SweepFillConfig;
  readonly seed: number;
  readonly resultsDir: string;
  /** The Engine's sizing for these settings. */
  risk(): FixedFractionSizing;
}

/** A whole number flag, checked. */
export function parseCount(raw: string | undefined, key: string, fallback: number, min = 1): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(key, `expected a whole number >= ${min}, got '${raw}'`);
  return n;
}

/** Reads the shared research flags, loads the candles and market rules. */
export async function researchSetup(v: ResearchFlags, defaults: { strategy?: string; symbols?: string } = {}): Promise<ResearchSetup> {
  const strategies = builtinStrategies();
  const id = v.strategy ?? defaults.strategy ?? 'ma-cross';
  let definition: StrategyDefinition;
  try {
    definition = strategies.get(id);
  } catch {
    throw new ConfigError('--strategy', `unknown strategy '${id}'; allowed: ${strategies.ids().join(', ')}`, { allowed: strategies.ids() });
  }
  const params = parseParams(v.param);
  const symbols = parseSymbols(v.symbols ?? defaults.symbols ?? 'BTC/USDT');
  const timeframe = parseTimeframe(v.timeframe);
  const from = parseDate(v.from, '--from');
  const to = parseDate(v.to, '--to');
  const fraction = parsePositive(v.fraction, '--fraction', 0.2);
  if (fraction > 1) throw new ConfigError('--fraction', `must be in (0, 1], got ${fraction}`);
  const fee = v.fee === undefined ? 0.001 : Number(v.fee);
  if (!(fee >= 0 && fee <= 0.05)) throw new ConfigError('--fee', `expected a fee rate in [0, 0.05], got '${v.fee}'`);
  const slippageBps = v.slippage === undefined ? 5 : Number(v.slippage);
  if (!(slippageBps >= 0 && slippageBps <= 500)) throw new ConfigError('--slippage', `expected basis points in [0, 500], got '${v.slippage}'`);
  const seed = parseCount(v.seed, '--seed', 1, 0);
  const load: LoadSeriesOptions = {
    dataDir: v.data ?? defaultDataDir(),
    symbols,
    timeframe,
    makerFee: fee,
    takerFee: fee,
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    sanity: parseMaxJump(v['max-jump']),
  };
  const series = await loadSeries(load);
  // Volume participation 1: the sweep path does not split fills by candle volume (docs/research.md).
  const fill: SweepFillConfig = { initialCash: parsePositive(v.balance, '--balance', 10_000), fraction, feeBuffer: 0.005, slippageBps, volumeParticipation: 1 };
  return { definition, params, symbols, timeframe, load, series, fill, seed, resultsDir: v.results ?? 'results', risk: () => new FixedFractionSizing({ fraction }) };
}

/** Validates a full parameter set, naming the flag on error. */
export function checkedParams(def: StrategyDefinition, raw: Record<string, unknown>): Record<string, unknown> {
  try {
    return parseStrategyParams(def, raw) as Record<string, unknown>;
  } catch (err) {
    const e = err as ConfigError;
    throw new ConfigError(`--param ${e.key.split('.').slice(2).join('.')}`.trim(), e.message.slice(e.key.length + 2));
  }
}

/** A progress bar on stderr, silent in --json mode. */
export function progressFor(io: CommandIo, json: boolean, label: string): ((done: number, total: number) => void) | undefined {
  if (json) return undefined;
  const tty = process.stderr.isTTY === true;
  return createProgressBar({ tty, write: (s) => (tty ? process.stderr.write(s) : io.err(s.replace(/\n$/, ''))) }, label);
}

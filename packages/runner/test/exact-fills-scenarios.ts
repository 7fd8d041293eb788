/**
 * Scenarios for the exact-fills property test: a market per symbol, random-walk candles
 * whose volumes split orders into a chosen number of parts, and scripted signals; and
 * `check`, which runs one through the Engine and the reference and lists every
 * difference and broken invariant.
 */
import { type Candle, type Market, StepCounter } from '@kairos/core';
import fc from 'fast-check';
import { type HarnessInput, type Observed, type SizingRule, StepSizing, compareRuns, entrySteps, refMarket, runObserved, scriptedStrategy } from './exact-fills-harness';
import { type Direction, type RefResult, simulateReference } from './reference-simulator';

export const TF = '1h' as const;
export const TF_MS = 3_600_000;
export const START = Date.UTC(2024, 0, 1);
export const PARTICIPATION = 0.1;
export const STEPS = [1e-8, 5e-7, 1e-5, 0.001, 0.01, 0.1, 0.25, 0.5, 1, 10, 100, 1000] as const;

export interface Move {
  /** Open vs the previous close: 0, or a jump. */
  readonly gap: number;
  /** Close vs open. */
  readonly ret: number;
  readonly wickUp: number;
  readonly wickDown: number;
  /** Volume vs what splits an order into `parts` candles. */
  readonly volMult: number;
  readonly liquidity: 'normal' | 'thin' | 'empty';
  readonly signal: Direction | undefined;
}

export interface SymbolSpec {
  readonly step: number;
  /** log2 of the whole steps an entry is about at the start. */
  readonly log2Steps: number;
  readonly minNotional: number;
  readonly minSteps: number;
  readonly makerFee: number;
  readonly takerFee: number;
  /** Candles an order is split over at normal volume. */
  readonly parts: number;
  readonly moves: readonly Move[];
}

export interface Scenario {
  readonly cash: number;
  readonly fraction: number;
  readonly buffer: boolean;
  readonly slippageBps: number;
  readonly symbols: readonly SymbolSpec[];
}

/** The start price that makes an entry about 2^log2Steps steps. */
export function startPrice(sc: Scenario, s: SymbolSpec): number {
  return Number(((sc.cash * sc.fraction) / (2 ** s.log2Steps * s.step)).toPrecision(6));
}

export function priceInRange(sc: Scenario): boolean {
  return sc.symbols.every((s) => {
    const p = startPrice(sc, s);
    return p >= 1e-8 && p <= 1e5;
  });
}

export interface Built {
  readonly markets: Market[];
  readonly series: Record<string, Candle[]>;
  readonly signals: Record<string, Array<Direction | undefined>>;
  readonly rule: SizingRule;
}

export const BASES = ['AAA', 'BBB', 'CCC'];

export function build(sc: Scenario): Built {
  const markets: Market[] = [];
  const series: Record<string, Candle[]> = {};
  const signals: Record<string, Array<Direction | undefined>> = {};
  sc.symbols.forEach((s, k) => {
    const base = BASES[k] as string;
    const symbol = `${base}/USDT`;
    const counter = new StepCounter(s.step);
    markets.push({ symbol, base, quote: 'USDT', active: true, amountStep: s.step, priceStep: 0, minAmount: counter.amountOf(s.minSteps), minNotional: s.minNotional, makerFee: s.makerFee, takerFee: s.takerFee });
    const candles: Candle[] = [];
    let prev = startPrice(sc, s);
    s.moves.forEach((m, i) => {
      const open = prev * (1 + m.gap);
      const close = open * (1 + m.ret);
      const high = Math.max(open, close) * (1 + m.wickUp);
      const low = Math.min(open, close) * (1 - m.wickDown);
      // What an entry decided on the previous close would be, in base units: the volume
      // lets the 10% cap take 1/parts of it per candle.
      const orderBase = (sc.cash * sc.fraction) / prev;
      let volume = ((orderBase / s.parts) * m.volMult) / PARTICIPATION;
      // Thin: 0.1%–6% of that, an order then needs tens of candles or more.
      if (m.liquidity === 'thin') volume *= 0.001 + (m.volMult - 1) * 0.2;
      if (m.liquidity === 'empty') volume = 0;
      candles.push({ time: START + i * TF_MS, open, high, low, close, volume });
      prev = close;
    });
    series[symbol] = candles;
    signals[symbol] = s.moves.map((m) => m.signal);
  });
  return { markets, series, signals, rule: { fraction: sc.fraction, buffer: sc.buffer, slippageBps: sc.slippageBps } };
}

export async function runBoth(sc: Scenario, built: Built): Promise<{ obs: Observed; ref: RefResult }> {
  const input: HarnessInput = {
    markets: built.markets,
    series: built.series,
    timeframe: TF,
    cash: sc.cash,
    strategy: scriptedStrategy(built.signals),
    risk: new StepSizing(built.rule),
    slippageBps: sc.slippageBps,
    volumeParticipation: PARTICIPATION,
  };
  const obs = await runObserved(input);
  const ref = simulateReference(
    built.markets.map((m) => ({ market: refMarket(m), candles: built.series[m.symbol] as Candle[], signals: built.signals[m.symbol] as Array<Direction | undefined> })),
    { cash: sc.cash, timeframeMs: TF_MS, slippageBps: sc.slippageBps, volumeParticipation: PARTICIPATION, size: (x) => entrySteps(built.rule, x) },
  );
  return { obs, ref };
}

/** Every check of properties 1, 2, 3 and 5 on one scenario; returns what broke. */
export async function check(sc: Scenario): Promise<{ problems: string[]; obs: Observed; ref: RefResult }> {
  const built = build(sc);
  const { obs, ref } = await runBoth(sc, built);
  const problems = compareRuns(obs, ref, (time) => Math.round((time - START) / TF_MS), TF_MS);
  return { problems, obs, ref };
}

// ---------------------------------------------------------------------------------------
// Generators.

/**
 * A double uniform in [min, max] (fc.double is uniform over bit patterns, so nearly all
 * its values would be tiny), shrinking towards `toward`.
 */
export function uniform(min: number, max: number, toward = min): fc.Arbitrary<number> {
  const n = 1_000_000;
  const at = Math.round(((toward - min) / (max - min)) * n);
  return fc.noBias(fc.integer({ min: -at, max: n - at })).map((k) => min + ((k + at) / n) * (max - min));
}

export const moveArb = (opts: { jumps: boolean; thin: boolean; signal: fc.Arbitrary<Direction | undefined> }): fc.Arbitrary<Move> =>
  fc.record({
    gap: opts.jumps ? fc.oneof({ weight: 16, arbitrary: fc.constant(0) }, { weight: 4, arbitrary: uniform(-0.5, 0.6, 0) }) : fc.constant(0),
    // With jumps: mostly ±3% candles, now and then a ±12% one.
    ret: opts.jumps ? fc.oneof({ weight: 4, arbitrary: uniform(-0.03, 0.03, 0) }, { weight: 1, arbitrary: uniform(-0.12, 0.12, 0) }) : uniform(-0.01, 0.01, 0),
    wickUp: uniform(0, 0.02),
    wickDown: uniform(0, 0.02),
    volMult: uniform(1, 1.3),
    liquidity: opts.thin ? fc.constantFrom<Move['liquidity']>('normal', 'normal', 'normal', 'normal', 'normal', 'normal', 'normal', 'normal', 'thin', 'empty') : fc.constant('normal'),
    signal: opts.signal,
  });

export const symbolArb = (opts: { log2Min: number; log2Max: number; minMoves: number; maxMoves: number; moves: fc.Arbitrary<Move> }): fc.Arbitrary<SymbolSpec> =>
  fc.record({
    step: fc.constantFrom(...STEPS),
    // Mostly realistic sizes; tiny entries of a few steps now and then.
    log2Steps:
      opts.log2Min < 3
        ? fc.oneof(
            { weight: 9, arbitrary: uniform(3, opts.log2Max) },
            { weight: 1, arbitrary: uniform(opts.log2Min, 4) },
          )
        : uniform(opts.log2Min, opts.log2Max),
    minNotional: fc.integer({ min: 1, max: 20 }),
    minSteps: fc.constantFrom(0, 1, 2, 3, 5),
    makerFee: fc.constantFrom(0, 0.0005, 0.001, 0.002),
    takerFee: fc.constantFrom(0, 0.0005, 0.001, 0.002),
    parts: fc.integer({ min: 1, max: 10 }),
    moves: fc.array(opts.moves, { minLength: opts.minMoves, maxLength: opts.maxMoves, size: 'max' }),
  });

export const scenarioArb = (opts: { symbols: fc.Arbitrary<SymbolSpec[]>; fraction: fc.Arbitrary<number>; buffer: fc.Arbitrary<boolean> }): fc.Arbitrary<Scenario> =>
  fc
    .record({
      cash: fc.integer({ min: 1_000, max: 10_000 }),
      fraction: opts.fraction,
      buffer: opts.buffer,
      slippageBps: fc.constantFrom(0, 5, 10, 30),
      symbols: opts.symbols,
    })
    .filter(priceInRange);

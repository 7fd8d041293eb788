import type { Signal, SignalDirection } from '../domain/signal';
import type { AggregateDecision, AggregatorConfig, SourceContribution } from './signal-aggregator';

/** Source id of the signals the aggregator emits. */
export const AGGREGATE_SOURCE = 'aggregate';

/** What every decision of one aggregator reads; fixed with its configuration. */
export interface VoteRules {
  readonly sources: readonly string[];
  readonly config: AggregatorConfig;
  /** Weight of each source, in `sources` order, and their sum. */
  readonly weights: readonly number[];
  readonly totalWeight: number;
  /** Each source's report while it is silent (the same every bar). */
  readonly silent: readonly SourceContribution[];
  /** The votes of a symbol nobody has voted for: shared, never changed. */
  readonly nothingHeld: readonly undefined[];
}

/** A remembered vote: the signal and the bar (per-symbol call count) it arrived on. */
export interface Held {
  readonly signal: Signal;
  readonly bar: number;
}

/**
 * A symbol's votes, for a caller that keeps them at hand (a composite, per view) and
 * combines through `SignalAggregator.voteIn`: one lookup less per bar.
 */
export interface SymbolVotes {
  readonly symbol: string;
  /** True once `SignalAggregator.reset` forgot them: ask `votesOf` again. */
  readonly forgotten: boolean;
}

/**
 * One symbol's memory and latest decision. The latest decision is kept as fields, so a
 * bar allocates nothing unless someone asks for the report.
 */
export interface SymbolMemory extends SymbolVotes {
  forgotten: boolean;
  bar: number;
  /** The held votes by source index (undefined: silent). */
  held: readonly (Held | undefined)[];
  count: number;
  time: number;
  score: number;
  direction: SignalDirection;
  buyers: number;
  sellers: number;
  signal: Signal | null;
  /**
   * The votes the latest decision saw (before this bar's expiries), until the next bar
   * starts. `held` is changed in place unless it is this array, the one a signal's
   * reason last captured, or the shared empty one: then it is copied first, so that a
   * decision and a signal can still report their contributions later.
   */
  seen: readonly (Held | undefined)[] | undefined;
  captured: readonly (Held | undefined)[] | undefined;
  report: AggregateDecision | undefined;
  /**
   * The held votes as numbers, four per source (`numbers[4i …]`: held 1/0, the bar it
   * arrived on, weight · strength · confidence, and its side: 1 buy, −1 sell, 0 when it
   * does not count as agreeing). A tally reads only these: with hundreds of symbols taking
   * turns, following each vote's pointers to its signal would miss the cache every time.
   */
  readonly numbers: Float64Array;
}

/** Fields per source in {@link SymbolMemory.numbers}. */
export const VOTE_FIELDS = 4;

/** Writes source `i`'s vote (or its absence) into `numbers`. */
export function setVoteNumbers(rules: VoteRules, numbers: Float64Array, i: number, h: Held | undefined): void {
  const o = VOTE_FIELDS * i;
  if (h === undefined) {
    numbers[o] = 0;
    return;
  }
  const weight = rules.weights[i] as number;
  numbers[o] = 1;
  numbers[o + 1] = h.bar;
  // The first factors of the score, multiplied in the order the score multiplies them.
  numbers[o + 2] = weight * h.signal.strength * h.signal.confidence;
  numbers[o + 3] = sideOf(h.signal, weight);
}

/** 1 for a buy, −1 for a sell that counts as agreeing (positive weight), else 0. */
export function sideOf(s: Signal, weight: number): number {
  if (!(weight > 0)) return 0;
  return s.direction === 'buy' ? 1 : s.direction === 'sell' ? -1 : 0;
}

/**
 * The decision of a bar from its clamped score and the agreeing sources: buy at or above
 * the entry threshold with enough buyers, sell at or below minus the exit threshold with
 * enough sellers, else hold. The per-bar and the whole-series vote both decide here.
 */
export function directionOf(cfg: AggregatorConfig, score: number, buyers: number, sellers: number): SignalDirection {
  if (score >= cfg.entryThreshold && buyers >= cfg.minAgreeing) return 'buy';
  if (score <= -cfg.exitThreshold && sellers >= cfg.minAgreeingExit) return 'sell';
  return 'hold';
}

/** Every source's part at `bar`, given the votes held then. */
export function contributionsOf(rules: VoteRules, held: readonly (Held | undefined)[], bar: number): SourceContribution[] {
  const memory = rules.config.memory;
  const total = rules.totalWeight;
  const out = new Array<SourceContribution>(rules.sources.length);
  for (let i = 0; i < rules.sources.length; i++) {
    const h = held[i];
    if (h === undefined) {
      // A silent source's report is the same every bar: share the frozen one.
      out[i] = rules.silent[i] as SourceContribution;
      continue;
    }
    const source = rules.sources[i] as string;
    const weight = rules.weights[i] as number;
    const age = bar - h.bar;
    if (age >= memory) {
      out[i] = { source, weight, direction: 'hold', strength: 0, confidence: 0, age, contribution: 0, reason: '' };
      continue;
    }
    const s = h.signal;
    const contribution = total > 0 ? (weight * s.strength * s.confidence * (1 - age / memory)) / total : 0;
    out[i] = { source, weight, direction: s.direction, strength: s.strength, confidence: s.confidence, age, contribution, reason: s.reason };
  }
  return out;
}

/**
 * The aggregate's signal: confidence is the weighted mean of the agreeing sources'; the
 * reason (each source's part, with its own reason) is written only if someone reads it.
 */
export function aggregateSignal(rules: VoteRules, symbol: string, time: number, direction: 'buy' | 'sell', score: number, held: readonly (Held | undefined)[], bar: number): Signal {
  let wsum = 0;
  let wconf = 0;
  for (let i = 0; i < held.length; i++) {
    const h = held[i];
    const weight = rules.weights[i] as number;
    if (h === undefined || bar - h.bar >= rules.config.memory || h.signal.direction !== direction || !(weight > 0)) continue;
    wsum += weight;
    wconf += weight * h.signal.confidence;
  }
  return new AggregateSignal(symbol, time, direction, score, wsum > 0 ? wconf / wsum : 0, rules, held, bar);
}

/**
 * A signal of the aggregator. It keeps the votes of its bar rather than a closure over
 * them, so that a backtest emitting one on many bars allocates one object per signal;
 * the reason is written the first time it is read.
 */
class AggregateSignal implements Signal {
  readonly source = AGGREGATE_SOURCE;
  readonly #rules: VoteRules;
  readonly #held: readonly (Held | undefined)[];
  readonly #bar: number;
  #reason: string | undefined;

  constructor(
    readonly symbol: string,
    readonly time: number,
    readonly direction: 'buy' | 'sell',
    readonly strength: number,
    readonly confidence: number,
    rules: VoteRules,
    held: readonly (Held | undefined)[],
    bar: number,
  ) {
    this.#rules = rules;
    this.#held = held;
    this.#bar = bar;
  }

  get reason(): string {
    if (this.#reason === undefined) {
      const cfg = this.#rules.config;
      const threshold = this.direction === 'buy' ? `≥ ${cfg.entryThreshold}` : `≤ -${cfg.exitThreshold}`;
      const why = contributionsOf(this.#rules, this.#held, this.#bar)
        .filter((p) => p.contribution !== 0)
        .map((p) => `${p.source} ${p.contribution >= 0 ? '+' : ''}${p.contribution.toFixed(3)} (${p.reason})`)
        .join('; ');
      this.#reason = `score ${this.strength.toFixed(3)} ${threshold}: ${why}`;
    }
    return this.#reason;
  }

  toJSON(): Signal {
    return { symbol: this.symbol, time: this.time, direction: this.direction, strength: this.strength, confidence: this.confidence, source: this.source, reason: this.reason };
  }
}

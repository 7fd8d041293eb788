import { z } from 'zod';
import type { Signal, SignalDirection } from '../domain/signal';
import type { SeriesSignals } from '../ports/strategy';
import { parseConfig } from '../config/schema';
import { ConfigError } from '../errors/kairos-error';
import { aggregateSignal, contributionsOf, directionOf, setVoteNumbers, VOTE_FIELDS, type Held, type SymbolMemory, type SymbolVotes, type VoteRules } from './aggregate-votes';
import { type BarTimes, voteSeries } from './series-vote';

export { AGGREGATE_SOURCE, type SymbolVotes } from './aggregate-votes';
export type { BarTimes } from './series-vote';

/** Settings of the {@link SignalAggregator}. */
export const AggregatorConfigSchema = z.object({
  /** Weight per source id (strategy id, predictor id); sources not listed get `defaultWeight`. */
  weights: z.record(z.string(), z.number().min(0)).default({}),
  defaultWeight: z.number().min(0).default(1),
  /** Score at or above which the aggregate says buy. */
  entryThreshold: z.number().gt(0).max(1).default(0.1),
  /** Score at or below minus this which the aggregate says sell. */
  exitThreshold: z.number().gt(0).max(1).default(0.1),
  /** Sources that must vote buy for an entry. */
  minAgreeing: z.number().int().min(1).max(100).default(1),
  /** Sources that must vote sell for an exit (exits are kept easy on purpose). */
  minAgreeingExit: z.number().int().min(1).max(100).default(1),
  /** Bars a signal keeps voting, fading linearly: 1 = only on the bar it fired. */
  memory: z.number().int().min(1).max(1000).default(1),
});

export type AggregatorConfig = z.infer<typeof AggregatorConfigSchema>;

/** One source's part in an aggregate decision. */
export interface SourceContribution {
  readonly source: string;
  readonly weight: number;
  /** The vote, or 'hold' when the source is silent. */
  readonly direction: SignalDirection;
  readonly strength: number;
  readonly confidence: number;
  /** Bars since the source's signal (0 = this bar). */
  readonly age: number;
  /** `weight · strength · confidence · fade / Σ weights`; the score is their sum. */
  readonly contribution: number;
  readonly reason: string;
}

/** What the aggregator decided for one symbol at one bar, with every source's part. */
export interface AggregateDecision {
  readonly symbol: string;
  readonly time: number;
  /** Weighted score in [-1, 1]. */
  readonly score: number;
  readonly direction: SignalDirection;
  readonly buyers: number;
  readonly sellers: number;
  readonly contributions: readonly SourceContribution[];
  /** The combined signal (source 'aggregate'); null when the decision is hold. */
  readonly signal: Signal | null;
}


/**
 * Combines the signals of several sources (strategies, and predictors through the
 * `Predictor` port) into one decision per symbol and bar:
 *
 * `score = Σ wᵢ · strengthᵢ · confidenceᵢ · fadeᵢ / Σ wᵢ`, summed over every configured
 * source (silent ones add 0 but still weigh), `fade = 1 − age/memory`.
 * Buy when `score ≥ entryThreshold` and at least `minAgreeing` sources vote buy; sell
 * when `score ≤ −exitThreshold` and at least `minAgreeingExit` vote sell.
 *
 * Call {@link combine} (or {@link vote}) exactly once per symbol and closed bar, with that
 * bar's signals (possibly none): the memory counts bars by calls. State is per symbol,
 * nothing global.
 */
export class SignalAggregator {
  readonly config: AggregatorConfig;
  /** What every decision of this aggregator reads: weights, their sum, thresholds (the config is fixed). */
  private readonly rules: VoteRules;
  private readonly memory = new Map<string, SymbolMemory>();

  /**
   * @param sources ids of every source that may vote, in report order
   * @param config raw settings; a bad value fails with a `ConfigError` naming `aggregate.<key>`
   */
  constructor(
    readonly sources: readonly string[],
    config: Partial<z.input<typeof AggregatorConfigSchema>> = {},
  ) {
    this.config = parseConfig(AggregatorConfigSchema, config, 'aggregate');
    const weights = sources.map((source) => this.weightOf(source));
    this.rules = {
      sources,
      config: this.config,
      weights,
      totalWeight: weights.reduce((a, w) => a + w, 0),
      silent: Object.freeze(sources.map((source) => Object.freeze({ source, weight: this.weightOf(source), direction: 'hold' as const, strength: 0, confidence: 0, age: -1, contribution: 0, reason: '' }))),
      nothingHeld: Object.freeze(sources.map(() => undefined)),
    };
    if (sources.length === 0) throw new ConfigError('aggregate.sources', 'needs at least one source');
  }

  /** Weight of a source under this configuration. */
  weightOf(source: string): number {
    return this.config.weights[source] ?? this.config.defaultWeight;
  }

  /** Combines one bar's signals for `symbol`; signals from unknown sources are ignored. */
  combine(symbol: string, time: number, signals: readonly Signal[]): AggregateDecision {
    this.vote(symbol, time, signals);
    return this.lastDecision(symbol) as AggregateDecision;
  }

  /**
   * {@link combine} without building the report: returns the decision's signal (null for
   * hold). The full decision of the latest bar stays available from {@link lastDecision}.
   */
  vote(symbol: string, time: number, signals: readonly Signal[]): Signal | null {
    return this.voteIn(this.memoryOf(symbol), time, signals);
  }

  /** The votes of `symbol`, created on first use; see {@link voteIn}. */
  votesOf(symbol: string): SymbolVotes {
    return this.memoryOf(symbol);
  }

  /** {@link vote} for the symbol of `votes` (from {@link votesOf}, not forgotten since). */
  voteIn(votes: SymbolVotes, time: number, signals: readonly Signal[]): Signal | null {
    const mem = votes as SymbolMemory;
    const bar = this.nextBar(mem);
    for (let k = 0; k < signals.length; k++) this.arrive(mem, signals[k] as Signal, bar);
    return this.tally(mem, time, bar);
  }

  /**
   * {@link voteIn} for every bar `t` from `from` to `to − 1` of a whole series at once:
   * bar t's signals are those each list holds for bar t, its close time `times.time(t)`.
   * Returns the bars' decisions that are signals, as `voteIn` bar after bar would, and
   * leaves the symbol's memory as that would (a backtest: see `Strategy.decideSeries`).
   */
  voteSeries(votes: SymbolVotes, times: BarTimes, lists: readonly SeriesSignals[], from: number, to: number): SeriesSignals {
    return voteSeries(this.rules, votes as SymbolMemory, times, lists, from, to);
  }

  /** Starts the next bar of `mem`: the previous bar's votes are no longer its decision's. */
  private nextBar(mem: SymbolMemory): number {
    mem.seen = undefined;
    return ++mem.bar;
  }

  /** Holds a signal's vote (holds and unknown sources are ignored). */
  private arrive(mem: SymbolMemory, s: Signal, bar: number): void {
    if (s.direction === 'hold') return;
    const i = this.sources.indexOf(s.source);
    if (i >= 0) this.hold(mem, i, { signal: s, bar });
  }

  /** Adds up the held votes into the bar's decision; votes that expire go after it. */
  private tally(mem: SymbolMemory, time: number, bar: number): Signal | null {
    mem.time = time;
    mem.report = undefined;
    mem.seen = mem.held;
    mem.buyers = 0;
    mem.sellers = 0;
    mem.signal = null;
    // Most bars nobody votes: nothing to add up.
    if (mem.count === 0) {
      mem.seen = this.rules.nothingHeld;
      mem.score = 0;
      mem.direction = 'hold';
      return null;
    }
    const cfg = this.config;
    const total = this.rules.totalWeight;
    const held = mem.held;
    const numbers = mem.numbers;
    let score = 0;
    let buyers = 0;
    let sellers = 0;
    for (let i = 0, o = 0; i < held.length; i++, o += VOTE_FIELDS) {
      if (numbers[o] === 0) continue;
      const age = bar - (numbers[o + 1] as number);
      if (age >= cfg.memory) {
        // Expired: reported as a hold this bar (the decision keeps `seen`), silent after.
        this.hold(mem, i, undefined);
        continue;
      }
      score += total > 0 ? ((numbers[o + 2] as number) * (1 - age / cfg.memory)) / total : 0;
      const side = numbers[o + 3] as number;
      if (side === 1) buyers += 1;
      else if (side === -1) sellers += 1;
    }
    score = Math.max(-1, Math.min(1, score));
    const direction = directionOf(cfg, score, buyers, sellers);
    mem.score = score;
    mem.direction = direction;
    mem.buyers = buyers;
    mem.sellers = sellers;
    if (direction !== 'hold') {
      mem.captured = held;
      mem.signal = aggregateSignal(this.rules, mem.symbol, time, direction, score, held, bar);
    }
    return mem.signal;
  }

  /** The decision of the latest bar combined for `symbol`, with every source's part. */
  lastDecision(symbol: string): AggregateDecision | undefined {
    const mem = this.memory.get(symbol);
    if (!mem || mem.bar < 0) return undefined;
    if (!mem.report) {
      const seen = mem.seen ?? this.rules.nothingHeld;
      const contributions = seen === this.rules.nothingHeld ? this.rules.silent : contributionsOf(this.rules, seen, mem.bar);
      mem.report = { symbol, time: mem.time, score: mem.score, direction: mem.direction, buyers: mem.buyers, sellers: mem.sellers, contributions, signal: mem.signal };
    }
    return mem.report;
  }

  /** Forgets a symbol's remembered signals (e.g. when it leaves the universe). */
  reset(symbol?: string): void {
    for (const [s, mem] of this.memory) if (symbol === undefined || s === symbol) mem.forgotten = true;
    if (symbol === undefined) this.memory.clear();
    else this.memory.delete(symbol);
  }

  private memoryOf(symbol: string): SymbolMemory {
    let mem = this.memory.get(symbol);
    if (!mem) {
      mem = {
        symbol,
        forgotten: false,
        bar: -1,
        held: this.rules.nothingHeld,
        count: 0,
        time: 0,
        score: 0,
        direction: 'hold',
        buyers: 0,
        sellers: 0,
        signal: null,
        seen: this.rules.nothingHeld,
        captured: undefined,
        report: undefined,
        numbers: new Float64Array(VOTE_FIELDS * this.sources.length),
      };
      this.memory.set(symbol, mem);
    }
    return mem;
  }

  /** Sets (or clears) source `i`'s vote, copying the array first if anything may still read it. */
  private hold(mem: SymbolMemory, i: number, h: Held | undefined): void {
    let held = mem.held as (Held | undefined)[];
    if (held === mem.seen || held === mem.captured || held === this.rules.nothingHeld) {
      held = held.slice();
      mem.held = held;
    }
    const was = held[i];
    held[i] = h;
    setVoteNumbers(this.rules, mem.numbers, i, h);
    mem.count += (h ? 1 : 0) - (was ? 1 : 0);
  }
}

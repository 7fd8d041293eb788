import { z } from 'zod';
import { DescribedSignal, type Signal, type SignalDirection } from '../domain/signal';
import { parseConfig } from '../config/schema';
import { ConfigError } from '../errors/kairos-error';

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

/** Source id of the signals the aggregator emits. */
export const AGGREGATE_SOURCE = 'aggregate';

/** A remembered vote: the signal and the bar (per-symbol call count) it arrived on. */
interface Held {
  readonly signal: Signal;
  readonly bar: number;
}

/**
 * A symbol's votes, for a caller that keeps them at hand (a composite, per view) and
 * combines through {@link SignalAggregator.voteIn}: one lookup less per bar.
 */
export interface SymbolVotes {
  readonly symbol: string;
  /** True once {@link SignalAggregator.reset} forgot them: ask `votesOf` again. */
  readonly forgotten: boolean;
}

/**
 * One symbol's memory and latest decision. `held` (by source index) is replaced, never
 * changed in place, when a vote arrives or expires: a decision keeps the array of its bar
 * and can still report its contributions later. The latest decision is kept as fields,
 * so a bar allocates nothing unless someone asks for the report.
 */
interface SymbolMemory extends SymbolVotes {
  forgotten: boolean;
  bar: number;
  held: readonly (Held | undefined)[];
  count: number;
  time: number;
  score: number;
  direction: SignalDirection;
  buyers: number;
  sellers: number;
  signal: Signal | null;
  /** The votes the latest decision saw (before this bar's expiries). */
  seen: readonly (Held | undefined)[];
  report: AggregateDecision | undefined;
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
  private readonly silent: readonly SourceContribution[];
  /** Weight of each source, in `sources` order, and their sum (the config is fixed). */
  private readonly weights: readonly number[];
  private readonly totalWeight: number;
  private readonly nothingHeld: readonly undefined[];
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
    this.weights = sources.map((source) => this.weightOf(source));
    this.totalWeight = this.weights.reduce((a, w) => a + w, 0);
    this.silent = Object.freeze(sources.map((source) => Object.freeze({ source, weight: this.weightOf(source), direction: 'hold' as const, strength: 0, confidence: 0, age: -1, contribution: 0, reason: '' })));
    this.nothingHeld = Object.freeze(sources.map(() => undefined));
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
    const symbol = mem.symbol;
    const bar = ++mem.bar;
    for (let k = 0; k < signals.length; k++) {
      const s = signals[k] as Signal;
      if (s.direction === 'hold') continue;
      const i = this.sources.indexOf(s.source);
      if (i >= 0) this.hold(mem, i, { signal: s, bar });
    }
    mem.time = time;
    mem.report = undefined;
    mem.seen = mem.held;
    mem.buyers = 0;
    mem.sellers = 0;
    mem.signal = null;
    // Most bars nobody votes: nothing to add up.
    if (mem.count === 0) {
      mem.seen = this.nothingHeld;
      mem.score = 0;
      mem.direction = 'hold';
      return null;
    }
    const cfg = this.config;
    const total = this.totalWeight;
    const held = mem.held;
    let score = 0;
    let buyers = 0;
    let sellers = 0;
    for (let i = 0; i < held.length; i++) {
      const h = held[i];
      if (h === undefined) continue;
      const age = bar - h.bar;
      if (age >= cfg.memory) {
        // Expired: reported as a hold this bar (the decision keeps `seen`), silent after.
        this.hold(mem, i, undefined);
        continue;
      }
      const weight = this.weights[i] as number;
      const s = h.signal;
      score += total > 0 ? (weight * s.strength * s.confidence * (1 - age / cfg.memory)) / total : 0;
      if (weight > 0 && s.direction === 'buy') buyers += 1;
      if (weight > 0 && s.direction === 'sell') sellers += 1;
    }
    score = Math.max(-1, Math.min(1, score));
    let direction: SignalDirection = 'hold';
    if (score >= cfg.entryThreshold && buyers >= cfg.minAgreeing) direction = 'buy';
    else if (score <= -cfg.exitThreshold && sellers >= cfg.minAgreeingExit) direction = 'sell';
    mem.score = score;
    mem.direction = direction;
    mem.buyers = buyers;
    mem.sellers = sellers;
    if (direction !== 'hold') mem.signal = this.signalOf(symbol, time, direction, score, mem.seen, bar);
    return mem.signal;
  }

  /** The decision of the latest bar combined for `symbol`, with every source's part. */
  lastDecision(symbol: string): AggregateDecision | undefined {
    const mem = this.memory.get(symbol);
    if (!mem || mem.bar < 0) return undefined;
    if (!mem.report) {
      const contributions = mem.seen === this.nothingHeld ? this.silent : this.contributionsOf(mem.seen, mem.bar);
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
      mem = { symbol, forgotten: false, bar: -1, held: this.nothingHeld, count: 0, time: 0, score: 0, direction: 'hold', buyers: 0, sellers: 0, signal: null, seen: this.nothingHeld, report: undefined };
      this.memory.set(symbol, mem);
    }
    return mem;
  }

  /** Sets (or clears) source `i`'s vote, copying the array the decisions may keep. */
  private hold(mem: SymbolMemory, i: number, h: Held | undefined): void {
    const was = mem.held[i];
    const next = mem.held.slice();
    next[i] = h;
    mem.held = next;
    mem.count += (h ? 1 : 0) - (was ? 1 : 0);
  }

  /** Every source's part at `bar`, given the votes held then. */
  private contributionsOf(held: readonly (Held | undefined)[], bar: number): SourceContribution[] {
    const memory = this.config.memory;
    const total = this.totalWeight;
    const out = new Array<SourceContribution>(this.sources.length);
    for (let i = 0; i < this.sources.length; i++) {
      const h = held[i];
      if (h === undefined) {
        // A silent source's report is the same every bar: share the frozen one.
        out[i] = this.silent[i] as SourceContribution;
        continue;
      }
      const source = this.sources[i] as string;
      const weight = this.weights[i] as number;
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
  private signalOf(symbol: string, time: number, direction: 'buy' | 'sell', score: number, held: readonly (Held | undefined)[], bar: number): Signal {
    let wsum = 0;
    let wconf = 0;
    for (let i = 0; i < held.length; i++) {
      const h = held[i];
      const weight = this.weights[i] as number;
      if (h === undefined || bar - h.bar >= this.config.memory || h.signal.direction !== direction || !(weight > 0)) continue;
      wsum += weight;
      wconf += weight * h.signal.confidence;
    }
    const confidence = wsum > 0 ? wconf / wsum : 0;
    return new DescribedSignal(symbol, time, direction, score, confidence, AGGREGATE_SOURCE, () => {
      const threshold = direction === 'buy' ? `≥ ${this.config.entryThreshold}` : `≤ -${this.config.exitThreshold}`;
      const why = this.contributionsOf(held, bar)
        .filter((p) => p.contribution !== 0)
        .map((p) => `${p.source} ${p.contribution >= 0 ? '+' : ''}${p.contribution.toFixed(3)} (${p.reason})`)
        .join('; ');
      return `score ${score.toFixed(3)} ${threshold}: ${why}`;
    });
  }
}

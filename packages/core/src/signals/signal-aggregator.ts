import { z } from 'zod';
import type { Signal, SignalDirection } from '../domain/signal';
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

/**
 * Combines the signals of several sources (strategies, and predictors through the
 * `Predictor` port) into one decision per symbol and bar:
 *
 * `score = Σ wᵢ · strengthᵢ · confidenceᵢ · fadeᵢ / Σ wᵢ`, summed over every configured
 * source (silent ones add 0 but still weigh), `fade = 1 − age/memory`.
 * Buy when `score ≥ entryThreshold` and at least `minAgreeing` sources vote buy; sell
 * when `score ≤ −exitThreshold` and at least `minAgreeingExit` vote sell.
 *
 * Call {@link combine} exactly once per symbol and closed bar, with that bar's signals
 * (possibly none): the memory counts bars by calls. State is per symbol, nothing global.
 */
export class SignalAggregator {
  readonly config: AggregatorConfig;
  private readonly silent: readonly SourceContribution[];
  /** Weight of each source, in `sources` order, and their sum (the config is fixed). */
  private readonly weights: readonly number[];
  private readonly totalWeight: number;
  private readonly memory = new Map<string, { bar: number; last: Map<string, { signal: Signal; bar: number }> }>();

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
    if (sources.length === 0) throw new ConfigError('aggregate.sources', 'needs at least one source');
  }

  /** Weight of a source under this configuration. */
  weightOf(source: string): number {
    return this.config.weights[source] ?? this.config.defaultWeight;
  }

  /** Combines one bar's signals for `symbol`; signals from unknown sources are ignored. */
  combine(symbol: string, time: number, signals: readonly Signal[]): AggregateDecision {
    const cfg = this.config;
    let mem = this.memory.get(symbol);
    if (!mem) {
      mem = { bar: -1, last: new Map() };
      this.memory.set(symbol, mem);
    }
    mem.bar += 1;
    for (const s of signals) {
      if (s.direction !== 'hold' && this.sources.includes(s.source)) mem.last.set(s.source, { signal: s, bar: mem.bar });
    }
    // Most bars nobody votes: answer from a shared all-silent report, allocation-free.
    if (mem.last.size === 0) return { symbol, time, score: 0, direction: 'hold', buyers: 0, sellers: 0, contributions: this.silent, signal: null };
    const total = this.totalWeight;
    let score = 0;
    let buyers = 0;
    let sellers = 0;
    const contributions: SourceContribution[] = new Array<SourceContribution>(this.sources.length);
    for (let i = 0; i < this.sources.length; i++) {
      const source = this.sources[i] as string;
      const held = mem.last.get(source);
      if (!held) {
        // A silent source's report is the same every bar: share the frozen one.
        contributions[i] = this.silent[i] as SourceContribution;
        continue;
      }
      const weight = this.weights[i] as number;
      const age = mem.bar - held.bar;
      if (age >= cfg.memory) {
        mem.last.delete(source);
        contributions[i] = { source, weight, direction: 'hold', strength: 0, confidence: 0, age, contribution: 0, reason: '' };
        continue;
      }
      const s = held.signal;
      const fade = 1 - age / cfg.memory;
      const contribution = total > 0 ? (weight * s.strength * s.confidence * fade) / total : 0;
      score += contribution;
      if (weight > 0 && s.direction === 'buy') buyers += 1;
      if (weight > 0 && s.direction === 'sell') sellers += 1;
      contributions[i] = { source, weight, direction: s.direction, strength: s.strength, confidence: s.confidence, age, contribution, reason: s.reason };
    }
    score = Math.max(-1, Math.min(1, score));
    let direction: SignalDirection = 'hold';
    if (score >= cfg.entryThreshold && buyers >= cfg.minAgreeing) direction = 'buy';
    else if (score <= -cfg.exitThreshold && sellers >= cfg.minAgreeingExit) direction = 'sell';
    const signal = direction === 'hold' ? null : this.signalOf(symbol, time, direction, score, contributions);
    return { symbol, time, score, direction, buyers, sellers, contributions, signal };
  }

  /** Forgets a symbol's remembered signals (e.g. when it leaves the universe). */
  reset(symbol?: string): void {
    if (symbol === undefined) this.memory.clear();
    else this.memory.delete(symbol);
  }

  private signalOf(symbol: string, time: number, direction: 'buy' | 'sell', score: number, parts: readonly SourceContribution[]): Signal {
    const agreeing = parts.filter((p) => p.direction === direction && p.weight > 0);
    const wsum = agreeing.reduce((a, p) => a + p.weight, 0);
    const confidence = wsum > 0 ? agreeing.reduce((a, p) => a + p.weight * p.confidence, 0) / wsum : 0;
    const threshold = direction === 'buy' ? `≥ ${this.config.entryThreshold}` : `≤ -${this.config.exitThreshold}`;
    const why = parts
      .filter((p) => p.contribution !== 0)
      .map((p) => `${p.source} ${p.contribution >= 0 ? '+' : ''}${p.contribution.toFixed(3)} (${p.reason})`)
      .join('; ');
    return { symbol, time, direction, strength: score, confidence, source: AGGREGATE_SOURCE, reason: `score ${score.toFixed(3)} ${threshold}: ${why}` };
  }
}

import type { Signal, SignalDirection } from '../domain/signal';
import { aggregateSignal, type Held, type SymbolMemory, type VoteRules } from './aggregate-votes';

/**
 * `SignalAggregator.voteIn` for every bar `t` from `from` to `to − 1` of a whole series:
 * bar t's signals are entry t of each column, its close time `times(t)`, its decision goes
 * to `out[t]`. It decides exactly as calling `voteIn` bar after bar would, with the same
 * arithmetic in the same order, and leaves `mem` as that would; in between, the votes
 * live in locals, and the votes a bar saw are copied only for a bar that emits a signal.
 */
export function voteSeries(rules: VoteRules, mem: SymbolMemory, times: (t: number) => number, columns: readonly (readonly (Signal | null)[])[], from: number, to: number, out: (Signal | null)[]): void {
  if (to <= from) return;
  const cfg = rules.config;
  const memory = cfg.memory;
  const total = rules.totalWeight;
  const weights = rules.weights;
  const sources = rules.sources;
  const k = sources.length;
  // The held votes as columns of numbers: the bar each arrived on, its weight · strength ·
  // confidence (the first factors of the score, multiplied in the same order) and its
  // side, so that adding up a bar reads no signal objects.
  const signals = new Array<Signal | undefined>(k).fill(undefined);
  const arrived = new Float64Array(k);
  const weighted = new Float64Array(k);
  const side = new Int8Array(k);
  for (let i = 0; i < k; i++) {
    const h = mem.held[i];
    if (h === undefined) continue;
    signals[i] = h.signal;
    arrived[i] = h.bar;
    weighted[i] = (weights[i] as number) * h.signal.strength * h.signal.confidence;
    side[i] = sideOf(h.signal, weights[i] as number);
  }
  // 1 − age/memory for every age a vote lives, computed as the per-bar tally does.
  const fade = new Float64Array(memory);
  for (let a = 0; a < memory; a++) fade[a] = 1 - a / memory;
  let count = mem.count;
  let bar = mem.bar;
  let last = { seen: rules.nothingHeld as readonly (Held | undefined)[], score: 0, direction: 'hold' as SignalDirection, buyers: 0, sellers: 0, signal: null as Signal | null };
  for (let t = from; t < to; t++) {
    bar++;
    for (let c = 0; c < columns.length; c++) {
      const s = (columns[c] as readonly (Signal | null)[])[t];
      if (!s || s.direction === 'hold') continue;
      const i = sources.indexOf(s.source);
      if (i < 0) continue;
      if (signals[i] === undefined) count++;
      signals[i] = s;
      arrived[i] = bar;
      weighted[i] = (weights[i] as number) * s.strength * s.confidence;
      side[i] = sideOf(s, weights[i] as number);
    }
    if (count === 0) {
      if (t === to - 1) last = { seen: rules.nothingHeld, score: 0, direction: 'hold', buyers: 0, sellers: 0, signal: null };
      continue;
    }
    let score = 0;
    let buyers = 0;
    let sellers = 0;
    let expired = false;
    for (let i = 0; i < k; i++) {
      if (signals[i] === undefined) continue;
      const age = bar - (arrived[i] as number);
      if (age >= memory) {
        expired = true;
        continue;
      }
      score += total > 0 ? ((weighted[i] as number) * (fade[age] as number)) / total : 0;
      if (side[i] === 1) buyers += 1;
      else if (side[i] === -1) sellers += 1;
    }
    score = Math.max(-1, Math.min(1, score));
    let direction: SignalDirection = 'hold';
    if (score >= cfg.entryThreshold && buyers >= cfg.minAgreeing) direction = 'buy';
    else if (score <= -cfg.exitThreshold && sellers >= cfg.minAgreeingExit) direction = 'sell';
    if (direction !== 'hold' || t === to - 1) {
      // The votes as this bar saw them (expiring ones included), for the reason and report.
      const seen = heldOf(signals, arrived);
      const signal = direction === 'hold' ? null : aggregateSignal(rules, mem.symbol, times(t), direction, score, seen, bar);
      out[t] = signal;
      last = { seen, score, direction, buyers, sellers, signal };
    }
    if (expired) {
      for (let i = 0; i < k; i++) {
        if (signals[i] !== undefined && bar - (arrived[i] as number) >= memory) {
          signals[i] = undefined;
          count--;
        }
      }
    }
  }
  const held = heldOf(signals, arrived);
  Object.assign(mem, { bar, held, count, time: times(to - 1), ...last, captured: undefined, report: undefined });
}

/** The votes as `SymbolMemory.held` keeps them. */
function heldOf(signals: readonly (Signal | undefined)[], arrived: Float64Array): (Held | undefined)[] {
  const held = new Array<Held | undefined>(signals.length);
  for (let i = 0; i < signals.length; i++) {
    const signal = signals[i];
    held[i] = signal === undefined ? undefined : { signal, bar: arrived[i] as number };
  }
  return held;
}

/** 1 for a buy, −1 for a sell that counts as agreeing (positive weight), else 0. */
function sideOf(s: Signal, weight: number): number {
  if (!(weight > 0)) return 0;
  return s.direction === 'buy' ? 1 : s.direction === 'sell' ? -1 : 0;
}

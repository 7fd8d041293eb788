import type { Signal, SignalDirection } from '../domain/signal';
import type { SeriesSignals } from '../ports/strategy';
import { SeriesSignalList } from '../strategies/series-signal-list';
import { aggregateSignal, directionOf, sideOf, setVoteNumbers, type Held, type SymbolMemory, type VoteRules } from './aggregate-votes';

/** Close times of a series' bars. */
export interface BarTimes {
  time(i: number): number;
}

/**
 * `SignalAggregator.voteIn` for every bar `t` from `from` to `to − 1` of a whole series:
 * bar t's signals are those of each source list for bar t (in list order), its close time
 * `times.time(t)`. It decides exactly as calling `voteIn` bar after bar would, with the
 * same arithmetic in the same order, and leaves `mem` as that would. In between, the
 * votes live in locals, bars on which nothing is held are skipped in one step, and the
 * votes a bar saw are copied only for a bar that emits a signal.
 */
export function voteSeries(rules: VoteRules, mem: SymbolMemory, times: BarTimes, lists: readonly SeriesSignals[], from: number, to: number): SeriesSignals {
  const out = new SeriesSignalList();
  if (to <= from) return out;
  const { config: cfg, sources, weights, totalWeight: total } = rules;
  const memory = cfg.memory;
  const k = sources.length;
  // The held votes as columns of numbers: the bar each arrived on, its weight · strength ·
  // confidence (the first factors of the score, multiplied in the same order) and its
  // side, so that adding up a bar reads no signal objects. `held` keeps each vote as the
  // immutable pair the reports read, made once on arrival: a bar that emits a signal
  // copies only the array.
  const held = new Array<Held | undefined>(k).fill(undefined);
  const arrived = new Int32Array(k);
  const weighted = new Float64Array(k);
  const side = new Int8Array(k);
  // Whether the held votes can reach a threshold at all (see the skip below), recomputed
  // only after the votes changed.
  let changed = true;
  let reachable = true;
  // The votes as the last emitting bar saw them, while they have not changed since: bars
  // that emit in a row share one copy (their reports only read it).
  let snapshot: (Held | undefined)[] | undefined;
  const hold = (i: number, h: Held) => {
    changed = true;
    snapshot = undefined;
    held[i] = h;
    arrived[i] = h.bar;
    weighted[i] = (weights[i] as number) * h.signal.strength * h.signal.confidence;
    side[i] = sideOf(h.signal, weights[i] as number);
  };
  for (let i = 0; i < k; i++) {
    const h = mem.held[i];
    if (h !== undefined) hold(i, h);
  }
  // 1 − age/memory for every age a vote lives, computed as the per-bar tally does.
  const fade = new Float64Array(memory);
  for (let a = 0; a < memory; a++) fade[a] = 1 - a / memory;
  // Arrivals are read from the lists in bar order (lists in their given order within a
  // bar): `cursor[c]` is list c's next unread signal, `arrival` the next bar with one.
  const cursor = new Int32Array(lists.length);
  lists.forEach((l, c) => {
    let at = 0;
    while (at < l.bars.length && (l.bars[at] as number) < from) at++;
    cursor[c] = at;
  });
  let arrival = nextArrival(lists, cursor, to);
  let count = mem.count;
  let bar = mem.bar;
  let lastSeen: readonly (Held | undefined)[] = rules.nothingHeld;
  let lastScore = 0;
  let lastDirection: SignalDirection = 'hold';
  let lastBuyers = 0;
  let lastSellers = 0;
  let lastSignal: Signal | null = null;
  let lastTallied = -1;
  // No vote can reach a threshold while the held votes' largest possible score stays
  // under both (see below). The margin covers every rounding of the score's sum.
  const lowestThreshold = Math.min(cfg.entryThreshold, cfg.exitThreshold);
  let stale = false;
  for (let t = from; t < to; t++) {
    if (count === 0) {
      // Nothing held: every bar until the next signal arrives is a silent hold.
      bar += arrival - t;
      t = arrival;
      if (t === to) break;
    }
    bar++;
    if (t === arrival) {
      for (let c = 0; c < lists.length; c++) {
        const { bars, signals } = lists[c] as SeriesSignals;
        let at = cursor[c] as number;
        for (; at < bars.length && bars[at] === t; at++) {
          const s = signals[at] as Signal;
          if (s.direction === 'hold') continue;
          // List c is nearly always source c's (a composite's children, in order).
          const i = s.source === sources[c] ? c : sources.indexOf(s.source);
          if (i < 0) continue;
          if (held[i] === undefined) count++;
          hold(i, { signal: s, bar });
        }
        cursor[c] = at;
      }
      arrival = nextArrival(lists, cursor, to);
    }
    if (stale) {
      // After a skipped stretch, votes past their memory would have expired on an earlier bar.
      stale = false;
      for (let i = 0; i < k; i++) {
        if (held[i] !== undefined && bar - (arrived[i] as number) > memory) {
          held[i] = undefined;
          count--;
          changed = true;
          snapshot = undefined;
        }
      }
    }
    if (count === 0) continue;
    if (t < to - 1 && total > 0) {
      // The score is at most Σ|weight·strength·confidence| / Σ weights (every fade is at
      // most 1, and fades only shrink until a vote arrives). While that is under both
      // thresholds, every bar until the next arrival is a hold: skip them, leaving the
      // last bar of the series to the exact tally for the memory's final state.
      if (changed) {
        let reach = 0;
        for (let i = 0; i < k; i++) if (held[i] !== undefined) reach += Math.abs(weighted[i] as number);
        reachable = (reach / total) * (1 + 1e-9) >= lowestThreshold;
        changed = false;
      }
      if (!reachable) {
        const next = Math.min(arrival, to - 1);
        if (next > t + 1) {
          bar += next - 1 - t;
          t = next - 1;
        }
        // Votes expiring on a skipped bar are dropped before the next tally.
        stale = true;
        continue;
      }
    }
    let score = 0;
    let buyers = 0;
    let sellers = 0;
    let expired = false;
    // The largest score any later bar can reach until the next arrival: every vote one
    // bar older (fades only shrink), as the skip above bounds it.
    let later = 0;
    for (let i = 0; i < k; i++) {
      if (held[i] === undefined) continue;
      const age = bar - (arrived[i] as number);
      if (age >= memory) {
        expired = true;
        continue;
      }
      score += total > 0 ? ((weighted[i] as number) * (fade[age] as number)) / total : 0;
      if (age + 1 < memory) later += Math.abs(weighted[i] as number) * (fade[age + 1] as number);
      if (side[i] === 1) buyers += 1;
      else if (side[i] === -1) sellers += 1;
    }
    score = Math.max(-1, Math.min(1, score));
    const direction = directionOf(cfg, score, buyers, sellers);
    if (direction !== 'hold' || t === to - 1) {
      // The votes as this bar saw them (expiring ones included), for the reason and report.
      const seen = snapshot ?? (snapshot = held.slice());
      const signal = direction === 'hold' ? null : aggregateSignal(rules, mem.symbol, times.time(t), direction, score, seen, bar);
      out.add(t, signal);
      lastSeen = seen;
      lastScore = score;
      lastDirection = direction;
      lastBuyers = buyers;
      lastSellers = sellers;
      lastSignal = signal;
      lastTallied = t;
    }
    if (expired) {
      for (let i = 0; i < k; i++) {
        if (held[i] !== undefined && bar - (arrived[i] as number) >= memory) {
          held[i] = undefined;
          count--;
          changed = true;
          snapshot = undefined;
        }
      }
    }
    // A hold whose votes, faded further, can no longer reach a threshold: skip to the next
    // arrival from the next bar on, as for votes that never could.
    if (direction === 'hold' && total > 0 && (later / total) * (1 + 1e-9) < lowestThreshold) {
      reachable = false;
      changed = false;
    }
  }
  const decided = lastTallied === to - 1;
  for (let i = 0; i < k; i++) setVoteNumbers(rules, mem.numbers, i, held[i]);
  Object.assign(mem, {
    bar,
    held,
    count,
    time: times.time(to - 1),
    seen: decided ? lastSeen : rules.nothingHeld,
    score: decided ? lastScore : 0,
    direction: decided ? lastDirection : 'hold',
    buyers: decided ? lastBuyers : 0,
    sellers: decided ? lastSellers : 0,
    signal: decided ? lastSignal : null,
    captured: undefined,
    report: undefined,
  });
  return out;
}

/** The first bar at or after the lists' cursors that has a signal, or `to` when none does. */
function nextArrival(lists: readonly SeriesSignals[], cursor: Int32Array, to: number): number {
  let next = to;
  for (let c = 0; c < lists.length; c++) {
    const bars = (lists[c] as SeriesSignals).bars;
    const at = cursor[c] as number;
    if (at < bars.length && (bars[at] as number) < next) next = bars[at] as number;
  }
  return next;
}

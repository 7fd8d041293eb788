/**
 * The batch path of rolling max/min. `extremeStep`'s monotonic deque is O(1)
 * amortised but branches on the data (how many values to pop), and a price
 * series makes those branches unpredictable. Over a long run of bars whose
 * windows lie inside the input, {@link windowExtremes} needs no deque: cut
 * the bars into blocks of `period` (van Herk / Gil-Werman); a window is then
 * the tail of one block and the head of the next, so its extreme is the
 * larger of a suffix extreme and a prefix extreme, about three compares per
 * bar whatever the data. {@link windowExtremesWithAge} also gives how many
 * bars ago each extreme was (Aroon): it keeps the current extreme and its
 * place, and scans the window again only when that extreme leaves it
 * (Tulip Indicators' way), which costs up to a window's scan per bar, so it
 * takes short windows only. A kernel fills a block of extremes, uses them,
 * and at the end rebuilds the deque from the last `period` values with
 * {@link rebuildExtreme}, so streaming goes on from the same state.
 */
import { extremeStep } from './steps.js';

/** Bars a kernel takes per call of {@link windowExtremes}: its buffers stay in cache. */
export const EXTREME_BLOCK = 2048;

/**
 * The longest window {@link windowExtremesWithAge} takes. On trending prices
 * the extreme seldom leaves, and rescans were faster than blocks up to about
 * 25 bars; on a mean-reverting series such as RSI it leaves often, and they
 * were slower, which is why only ages use them.
 */
export const RESCAN_MAX_PERIOD = 32;

/** Scratch for {@link windowExtremes}: the extremes of one block, their ages, and suffix extremes of a window's worth of bars. */
export interface ExtremeScratch {
  readonly values: Float64Array;
  /** Bars since each window's extreme (the newest of equal ones), from {@link windowExtremesWithAge}. */
  readonly ages: Float64Array;
  readonly suffix: Float64Array;
}

/**
 * Buffers for a run of `bars` bars on the batch path, allocated once per call
 * of the kernel (not per bar) and no larger than the run needs: a block, or
 * the run if shorter; ages only for {@link windowExtremesWithAge}.
 */
export function extremeScratch(period: number, bars: number, withAges = false): ExtremeScratch {
  const size = Math.min(EXTREME_BLOCK, bars);
  return { values: new Float64Array(size), ages: new Float64Array(withAges ? size : 0), suffix: new Float64Array(period) };
}

/**
 * Max (sign 1) or min (sign -1) of each window of `period` values of `x`
 * ending at i, for i in [from, to), into `scratch.values[i - from]`. Every
 * such window must lie in x[lo..to): from - period + 1 >= lo. Values must be
 * numbers (not NaN), as validated inputs are. The result is the window's
 * extreme value itself, as the deque gives.
 */
export function windowExtremes(x: Float64Array, lo: number, from: number, to: number, period: number, sign: number, scratch: ExtremeScratch): void {
  blockExtremes(x, lo, from, to, period, sign, scratch);
}

/**
 * {@link windowExtremes} with, in `scratch.ages`, the bars since each
 * window's extreme (the newest of equal ones, as `extremeAge` gives), for
 * windows up to {@link RESCAN_MAX_PERIOD}. Windows must lie in x from
 * from - period + 1 on.
 */
export function windowExtremesWithAge(x: Float64Array, from: number, to: number, period: number, sign: number, scratch: ExtremeScratch): void {
  if (period > RESCAN_MAX_PERIOD) throw new RangeError(`windowExtremesWithAge takes windows up to ${RESCAN_MAX_PERIOD} bars, not ${period}`);
  rescanExtremes(x, from, to, period, sign, scratch);
}

/** Keeps the extreme and where it is; scans the window again when it has left (ties: the newest). */
function rescanExtremes(x: Float64Array, from: number, to: number, period: number, sign: number, scratch: ExtremeScratch): void {
  const p = period | 0;
  const out = scratch.values;
  const ages = scratch.ages;
  let at = -1;
  let best = -Infinity;
  for (let i = from; i < to; i++) {
    const y = sign * x[i]!;
    if (at <= i - p) {
      best = y;
      at = i;
      for (let k = i - 1; k > i - p; k--) {
        const v = sign * x[k]!;
        if (v > best) {
          best = v;
          at = k;
        }
      }
    } else if (y >= best) {
      best = y;
      at = i;
    }
    out[i - from] = sign * best;
    ages[i - from] = i - at;
  }
}

/** van Herk / Gil-Werman blocks of `period` bars, aligned at `lo`. */
function blockExtremes(x: Float64Array, lo: number, from: number, to: number, period: number, sign: number, scratch: ExtremeScratch): void {
  const p = period | 0;
  const out = scratch.values;
  const suffix = scratch.suffix;
  // The block holding `from` and the one before it.
  let block = lo + Math.floor((from - lo) / p) * p;
  let prefix = -Infinity;
  for (let k = block; k < from; k++) {
    const y = sign * x[k]!;
    prefix = y > prefix ? y : prefix;
  }
  if (block - p >= lo) fillSuffix(x, block - p, p, sign, suffix);
  for (let i = from; i < to; i++) {
    if (i === block + p) {
      fillSuffix(x, block, p, sign, suffix);
      block = i;
      prefix = -Infinity;
    }
    const y = sign * x[i]!;
    prefix = y > prefix ? y : prefix;
    // The window [i - p + 1, i] starts at `block` (then the prefix is all of it) or in the block before.
    const start = i - p + 1;
    const s = start < block ? suffix[start - block + p]! : -Infinity;
    out[i - from] = sign * (s > prefix ? s : prefix);
  }
}

/** suffix[k] = extreme of sign * x over [b + k, b + p). */
function fillSuffix(x: Float64Array, b: number, p: number, sign: number, suffix: Float64Array): void {
  let m = -Infinity;
  for (let k = p - 1; k >= 0; k--) {
    const y = sign * x[b + k]!;
    m = y > m ? y : m;
    suffix[k] = m;
  }
}

/**
 * The highest high and lowest low of every window of a long run, a block at a
 * time, for kernels that keep a high deque at 0 and a low deque at `e`
 * (willr, stoch, donchian): `fill` each block, read `highs` and `lows`
 * (indexed from the block's first bar), then `finish` to rebuild both deques.
 */
export class HighLowBlocks {
  /** The block's highest highs and lowest lows, from its first bar on. */
  readonly highs: Float64Array;
  readonly lows: Float64Array;
  readonly #high: ExtremeScratch;
  readonly #low: ExtremeScratch;
  readonly #count: number;

  /** Bars [start, to) of a call that began at `from`; every window from `start` on lies inside the call. */
  constructor(
    private readonly st: Float64Array,
    private readonly e: number,
    private readonly period: number,
    private readonly hi: Float64Array,
    private readonly lo: Float64Array,
    private readonly from: number,
    start: number,
    private readonly to: number,
  ) {
    this.#high = extremeScratch(period, to - start);
    this.#low = extremeScratch(period, to - start);
    this.highs = this.#high.values;
    this.lows = this.#low.values;
    this.#count = st[0]! + (to - start);
  }

  /** Fills the block that starts at bar b; returns where it ends. */
  fill(b: number): number {
    const end = Math.min(this.to, b + EXTREME_BLOCK);
    windowExtremes(this.hi, this.from, b, end, this.period, 1, this.#high);
    windowExtremes(this.lo, this.from, b, end, this.period, -1, this.#low);
    return end;
  }

  /** Leaves both deques as stepping every bar of the run would have. */
  finish(): void {
    rebuildExtreme(this.st, 0, this.period, 1, this.hi, this.to, this.#count);
    rebuildExtreme(this.st, this.e, this.period, -1, this.lo, this.to, this.#count);
  }
}

/**
 * Leaves the deque at `h` as `extremeStep` would after seeing `count` values
 * of which the last `period` are x[to - period, to): the deque only ever
 * holds values of the current window, so those determine it.
 */
export function rebuildExtreme(st: Float64Array, h: number, period: number, sign: number, x: Float64Array, to: number, count: number): void {
  st[h] = count - period;
  st[h + 1] = 0;
  st[h + 2] = 0;
  for (let i = to - period; i < to; i++) extremeStep(st, h, period, sign, x[i]!);
}

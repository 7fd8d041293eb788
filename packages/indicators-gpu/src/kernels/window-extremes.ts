/**
 * The batch path of rolling max/min. `extremeStep`'s monotonic deque is O(1)
 * amortised but branches on the data (how many values to pop), and a price
 * series makes those branches unpredictable: about 12 ns per step here.
 * Over a long run of bars whose windows lie inside the input, the van Herk /
 * Gil-Werman method needs no deque: cut the bars into blocks of `period`; a
 * window is then the tail of one block and the head of the next, so its
 * extreme is the larger of a suffix extreme of the first block and a prefix
 * extreme of the second — about three compares per bar. A kernel fills a
 * block of extremes with {@link windowExtremes}, uses them, and at the end
 * rebuilds the deque from the last `period` values with
 * {@link rebuildExtreme}, so streaming goes on from the same state.
 */
import { extremeStep } from './steps.js';

/** Bars a kernel takes per call of {@link windowExtremes}: its buffers stay in cache. */
export const EXTREME_BLOCK = 2048;

/** Scratch for {@link windowExtremes}: extremes of one block and the suffix extremes of a window's worth of bars. */
export interface ExtremeScratch {
  readonly values: Float64Array;
  readonly suffix: Float64Array;
}

/** Buffers for kernels on the batch path: allocated once per call of the kernel, not per bar. */
export function extremeScratch(period: number): ExtremeScratch {
  return { values: new Float64Array(EXTREME_BLOCK), suffix: new Float64Array(period) };
}

/**
 * Max (sign 1) or min (sign -1) of each window of `period` values of `x`
 * ending at i, for i in [from, to), into `scratch.values[i - from]`. Every
 * such window must lie in x[lo..to): from - period + 1 >= lo. Values must be
 * numbers (not NaN), as validated inputs are. The result is the window's
 * extreme value itself, as the deque gives.
 */
export function windowExtremes(x: Float64Array, lo: number, from: number, to: number, period: number, sign: number, scratch: ExtremeScratch): void {
  const p = period | 0;
  const out = scratch.values;
  const suffix = scratch.suffix;
  // Blocks are aligned at `lo`; the block holding `from` and the one before it.
  let block = lo + Math.floor((from - lo) / p) * p;
  let prefix = -Infinity;
  for (let k = block; k < from; k++) { const y = sign * x[k]!; prefix = y > prefix ? y : prefix; }
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
    const y = sign * x[b + k]!; m = y > m ? y : m;
    suffix[k] = m;
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

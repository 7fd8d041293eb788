/**
 * Composable per-bar steps over a kernel's state array, for indicators that
 * chain several moving parts (MACD = 3 EMAs, TRIX = 3 EMAs + ROC ...).
 * Each step owns a few hot slots at offset `h` (and, for windows, a ring at
 * offset `r` of capacity period + 1 outside the hot area). Steps skip a NaN
 * input without advancing, so the warm-up NaNs of an upstream step simply
 * delay the downstream one, exactly like chaining batch functions.
 * Small and monomorphic so V8 inlines them into the kernel loops.
 */

/** Hot slots used by {@link emaStep}. */
export const EMA_HOT = 2;

/** EMA seeded by the SMA of the first `period` inputs; `alpha` = 2/(p+1) (or 1/p for Wilder). */
export function emaStep(st: Float64Array, h: number, period: number, alpha: number, x: number): number {
  if (x !== x) return NaN;
  const c = st[h]! + 1;
  if (c > period) {
    const v = (1 - alpha) * st[h + 1]! + alpha * x;
    st[h + 1] = v;
    return v;
  }
  st[h] = c;
  const s = st[h + 1]! + x;
  if (c < period) {
    st[h + 1] = s;
    return NaN;
  }
  const v = s / period;
  st[h + 1] = v;
  return v;
}

/** Hot slots used by {@link sumStep} (count, head, sum); ring needs period + 1 slots. */
export const SUM_HOT = 3;

/** Rolling sum over `period` inputs (NaN until full). */
export function sumStep(st: Float64Array, h: number, r: number, period: number, x: number): number {
  if (x !== x) return NaN;
  let head = st[h + 1]!;
  st[r + head] = x;
  head = head === period ? 0 : head + 1;
  st[h + 1] = head;
  const s = st[h + 2]! + x - st[r + head]!;
  st[h + 2] = s;
  const c = st[h]! + 1;
  st[h] = c;
  return c >= period ? s : NaN;
}

/** Rolling mean (SMA) — {@link sumStep} / period. */
export function smaStep(st: Float64Array, h: number, r: number, period: number, x: number): number {
  return sumStep(st, h, r, period, x) / period;
}

/** Hot slots used by {@link varStep} (count, head, mean, m2). */
export const VAR_HOT = 4;

/**
 * Rolling population variance by the sliding Welford update: it works on
 * deviations, not on sum of squares, so it keeps 1e-12 relative accuracy on
 * prices around 1e5 where sum(x^2) - sum(x)^2/n would lose ~8 digits.
 * Mean is left in st[h + 2].
 */
export function varStep(st: Float64Array, h: number, r: number, period: number, x: number): number {
  if (x !== x) return NaN;
  let head = st[h + 1]!;
  st[r + head] = x;
  head = head === period ? 0 : head + 1;
  st[h + 1] = head;
  const c = st[h]! + 1;
  st[h] = c;
  const mean = st[h + 2]!;
  let m2 = st[h + 3]!;
  if (c <= period) {
    const d = x - mean;
    const nm = mean + d / c;
    m2 += d * (x - nm);
    st[h + 2] = nm;
  } else {
    const old = st[r + head]!;
    const nm = mean + (x - old) / period;
    m2 += (x - old) * (x - nm + old - mean);
    st[h + 2] = nm;
  }
  if (m2 < 0) m2 = 0; // rounding can push an all-equal window a hair below zero
  st[h + 3] = m2;
  return c >= period ? m2 / period : NaN;
}

/** Hot slots used by {@link extremeStep} for a window of `period`: count, head, size + 2 deques of period + 1. */
export function extremeHot(period: number): number {
  return 3 + 2 * (period + 1);
}

/**
 * Rolling max (sign = 1) or min (sign = -1) by a monotonic deque of
 * (bar, value) pairs, amortised O(1). The deque lives in the hot area, so
 * replace() on these costs O(period) — the one exception to O(1).
 * Returns the extreme; {@link extremeAge} gives how many bars ago it was.
 */
export function extremeStep(st: Float64Array, h: number, period: number, sign: number, x: number): number {
  if (x !== x) return NaN;
  const cap = period + 1;
  const t = st[h]!;
  let head = st[h + 1]!;
  let size = st[h + 2]!;
  const I = h + 3;
  const V = I + cap;
  const sx = sign * x;
  // Pop dominated values from the back (ties: keep the newest, as Aroon's most recent extreme).
  while (size > 0) {
    let back = head + size - 1;
    if (back >= cap) back -= cap;
    if (sign * st[V + back]! > sx) break;
    size--;
  }
  let pos = head + size;
  if (pos >= cap) pos -= cap;
  st[I + pos] = t;
  st[V + pos] = x;
  size++;
  if (st[I + head]! <= t - period) {
    head = head + 1 === cap ? 0 : head + 1;
    size--;
  }
  st[h] = t + 1;
  st[h + 1] = head;
  st[h + 2] = size;
  return t + 1 >= period ? st[V + head]! : NaN;
}

/** Bars since the current extreme of the deque at `h` (call after extremeStep). */
export function extremeAge(st: Float64Array, h: number): number {
  return st[h]! - 1 - st[h + 3 + st[h + 1]!]!;
}

/** Hot slots used by {@link lagStep}: count, head. Ring needs period + 1 slots. */
export const LAG_HOT = 2;

/** The input `lag` bars ago (NaN until available); stores x. */
export function lagStep(st: Float64Array, h: number, r: number, lag: number, x: number): number {
  if (x !== x) return NaN;
  let head = st[h + 1]!;
  st[r + head] = x;
  head = head === lag ? 0 : head + 1;
  st[h + 1] = head;
  const c = st[h]! + 1;
  st[h] = c;
  return c > lag ? st[r + head]! : NaN;
}

/** Hot slots used by {@link wmaStep} (count, head, sum, weighted sum); ring needs period + 1 slots. */
export const WMA_HOT = 4;

/**
 * Linearly weighted moving average (weights 1..period, newest heaviest) in
 * O(1): shifting the window lowers every weight by one, i.e. subtracts the
 * plain sum. An unfilled window behaves as zero-padded, which makes the
 * first full value exact.
 */
export function wmaStep(st: Float64Array, h: number, r: number, period: number, x: number): number {
  if (x !== x) return NaN;
  let head = st[h + 1]!;
  st[r + head] = x;
  head = head === period ? 0 : head + 1;
  st[h + 1] = head;
  const s = st[h + 2]!;
  const w = st[h + 3]! + period * x - s;
  st[h + 3] = w;
  st[h + 2] = s + x - st[r + head]!;
  const c = st[h]! + 1;
  st[h] = c;
  return c >= period ? w / ((period * (period + 1)) / 2) : NaN;
}

/** Hot slots used by {@link covStep}: count, head, meanX, meanY, cxy, mxx, myy. Two rings of period + 1 follow at r. */
export const COV_HOT = 7;

/**
 * Rolling co-moments of two series by the sliding Welford update (exact
 * to rounding, no sum-of-squares cancellation). After the call st[h+4..h+6]
 * hold n*cov(x,y), n*var(x), n*var(y). Returns the window count so far.
 */
export function covStep(st: Float64Array, h: number, r: number, period: number, x: number, y: number): number {
  const cap = period + 1;
  let head = st[h + 1]!;
  st[r + head] = x;
  st[r + cap + head] = y;
  head = head === period ? 0 : head + 1;
  st[h + 1] = head;
  const c = st[h]! + 1;
  st[h] = c;
  const mx = st[h + 2]!;
  const my = st[h + 3]!;
  if (c <= period) {
    const dx = x - mx;
    const nmx = mx + dx / c;
    const nmy = my + (y - my) / c;
    st[h + 4] = st[h + 4]! + dx * (y - nmy);
    st[h + 5] = st[h + 5]! + dx * (x - nmx);
    st[h + 6] = st[h + 6]! + (y - my) * (y - nmy);
    st[h + 2] = nmx;
    st[h + 3] = nmy;
  } else {
    const xo = st[r + head]!;
    const yo = st[r + cap + head]!;
    const dx = x - xo;
    const dy = y - yo;
    const k = 1 - 1 / period;
    st[h + 4] = st[h + 4]! + (xo - mx) * dy + (yo - my) * dx + dx * dy * k;
    st[h + 5] = Math.max(0, st[h + 5]! + 2 * (xo - mx) * dx + dx * dx * k);
    st[h + 6] = Math.max(0, st[h + 6]! + 2 * (yo - my) * dy + dy * dy * k);
    st[h + 2] = mx + dx / period;
    st[h + 3] = my + dy / period;
  }
  return c;
}

/** Hot slots used by {@link rsiStep}: count, prev, avgGain, avgLoss. */
export const RSI_HOT = 4;

/**
 * Wilder RSI as a step: NaN for the first `period` inputs. The same state
 * ([count, previous, average gain, average loss]) and the same arithmetic as
 * the rsi indicator's kernel, bar for bar, so a kernel may run that one over
 * a long range and step this one bar by bar with the same bits.
 */
export function rsiStep(st: Float64Array, h: number, period: number, x: number): number {
  if (x !== x) return NaN;
  const cnt = st[h]!;
  const prev = st[h + 1]!;
  st[h + 1] = x;
  if (cnt === 0) {
    st[h] = 1;
    return NaN;
  }
  const d = x - prev;
  const m = Math.abs(d);
  let g = st[h + 2]!;
  let l = st[h + 3]!;
  if (cnt <= period) {
    g += (m + d) * 0.5;
    l += (m - d) * 0.5;
    st[h] = cnt + 1;
    if (cnt < period) {
      st[h + 2] = g;
      st[h + 3] = l;
      return NaN;
    }
    g /= period;
    l /= period;
  } else {
    const a = 1 / period;
    const b = 1 - a;
    g = b * g + a * ((m + d) * 0.5);
    l = b * l + a * ((m - d) * 0.5);
  }
  st[h + 2] = g;
  st[h + 3] = l;
  const t = g + l;
  return t === 0 ? 50 : (100 * g) / t;
}

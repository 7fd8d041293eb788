import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import type { Kernel } from '../core/kernel.js';
import { StateStream } from '../core/state-stream.js';
import type { Bar } from '../core/types.js';
import { period } from '../kernels/param.js';

const params = z.object({ period: period(14, 1) });
type P = z.output<typeof params>;

/** The RSI kernel; `rsiStep` is its one-bar form (stochrsi runs this one over long ranges). */
export const rsiKernel: Kernel<P> = {
  layout: () => ({ size: 4, hot: 4 }),
  screensInputs: true,
  run(ins, outs, st, p, from, to) {
    const x = ins[0]!;
    const o = outs[0]!;
    // An int, so index arithmetic like x[i - n] stays in integer registers (params may arrive as doubles).
    const n = p.period | 0;
    const a = 1 / n;
    const b = 1 - a;
    let cnt = st[0]!;
    let prev = st[1]!;
    let g = st[2]!;
    let l = st[3]!;
    // Screening: one compare per bar (NaN fails c > 0); +Infinity makes
    // the next change infinite and the averages non-finite, except on the
    // last bar, whose close is checked outright.
    let ok = true;
    let i = from;
    if (i < to && cnt === 0) {
      prev = x[i]!;
      if (!(prev > 0)) ok = false;
      cnt = 1;
      o[i] = NaN;
      i++;
    }
    for (; i < to && cnt <= n; i++) {
      const c = x[i]!;
      if (!(c > 0)) ok = false;
      const d = c - prev;
      prev = c;
      const m = Math.abs(d);
      g += (m + d) * 0.5;
      l += (m - d) * 0.5;
      if (cnt < n) {
        cnt++;
        o[i] = NaN;
        continue;
      }
      g /= n;
      l /= n;
      cnt++;
      const t = g + l;
      o[i] = t === 0 ? 50 : (100 * g) / t;
    }
    // Four bars per trip, each with the same operations in the same order as
    // the one-bar loop below (so the same bits): fewer loop tests and bounds checks.
    for (; i + 3 < to; i += 4) {
      const c0 = x[i + 0]!;
      const d0 = c0 - prev;
      const m0 = Math.abs(d0);
      g = b * g + a * ((m0 + d0) * 0.5);
      l = b * l + a * ((m0 - d0) * 0.5);
      const t0 = g + l;
      o[i + 0] = t0 === 0 ? 50 : (100 * g) / t0;
      const c1 = x[i + 1]!;
      const d1 = c1 - c0;
      const m1 = Math.abs(d1);
      g = b * g + a * ((m1 + d1) * 0.5);
      l = b * l + a * ((m1 - d1) * 0.5);
      const t1 = g + l;
      o[i + 1] = t1 === 0 ? 50 : (100 * g) / t1;
      const c2 = x[i + 2]!;
      const d2 = c2 - c1;
      const m2 = Math.abs(d2);
      g = b * g + a * ((m2 + d2) * 0.5);
      l = b * l + a * ((m2 - d2) * 0.5);
      const t2 = g + l;
      o[i + 2] = t2 === 0 ? 50 : (100 * g) / t2;
      const c3 = x[i + 3]!;
      const d3 = c3 - c2;
      const m3 = Math.abs(d3);
      g = b * g + a * ((m3 + d3) * 0.5);
      l = b * l + a * ((m3 - d3) * 0.5);
      const t3 = g + l;
      o[i + 3] = t3 === 0 ? 50 : (100 * g) / t3;
      if (!(c0 > 0 && c1 > 0 && c2 > 0 && c3 > 0)) ok = false;
      prev = c3;
    }
    for (; i < to; i++) {
      const c = x[i]!;
      if (!(c > 0)) ok = false;
      const d = c - prev;
      prev = c;
      const m = Math.abs(d);
      g = b * g + a * ((m + d) * 0.5);
      l = b * l + a * ((m - d) * 0.5);
      // 100 - 100/(1 + g/l) with one division; 50 on a flat window.
      const t = g + l;
      o[i] = t === 0 ? 50 : (100 * g) / t;
    }
    st[0] = cnt;
    st[1] = prev;
    st[2] = g;
    st[3] = l;
    return ok && g + l < Infinity && prev < Infinity;
  },
};

/** Streaming RSI: the kernel's per-bar arithmetic on its state. */
class RsiStream extends StateStream<P> {
  // Constants start as numbers (set for real in the constructor): a field declared bare
  // starts undefined, and V8 then type-checks it on every read in update().
  private readonly n: number = 0;
  private readonly a: number = 0;
  private readonly b: number = 0;
  /** [count, prevClose, avgGain, avgLoss] before the last update(), for replace(). */
  private readonly snap = new Float64Array(4);

  constructor(p: P) {
    super('rsi', ['close'], ['value'], rsiKernel, p);
    this.n = p.period;
    this.a = 1 / p.period;
    this.b = 1 - this.a;
  }

  update(bar: Bar): { value: number } {
    const x = bar.close;
    if (!(x > 0 && x < Infinity)) throw this.badField('close', x, this.bars);
    const st = this.st;
    const snap = this.snap;
    snap[0] = st[0]!;
    snap[1] = st[1]!;
    snap[2] = st[2]!;
    snap[3] = st[3]!;
    this.bars++;
    return { value: this.step(st, x) };
  }

  replace(bar: Bar): { value: number } {
    if (this.bars === 0) throw this.notStarted();
    const x = bar.close;
    if (!(x > 0 && x < Infinity)) throw this.badField('close', x, this.bars - 1);
    const st = this.st;
    const snap = this.snap;
    st[0] = snap[0]!;
    st[1] = snap[1]!;
    st[2] = snap[2]!;
    st[3] = snap[3]!;
    return { value: this.step(st, x) };
  }

  /** One bar, exactly as the kernel computes it. */
  private step(st: Float64Array, x: number): number {
    const n = this.n;
    const cnt = st[0]!;
    const d = x - st[1]!;
    st[1] = x;
    if (cnt === 0) {
      st[0] = 1;
      return NaN;
    }
    const m = Math.abs(d);
    let g: number;
    let l: number;
    if (cnt <= n) {
      g = st[2]! + (m + d) * 0.5;
      l = st[3]! + (m - d) * 0.5;
      st[0] = cnt + 1;
      if (cnt < n) {
        st[2] = g;
        st[3] = l;
        return NaN;
      }
      g /= n;
      l /= n;
    } else {
      g = this.b * st[2]! + this.a * ((m + d) * 0.5);
      l = this.b * st[3]! + this.a * ((m - d) * 0.5);
    }
    st[2] = g;
    st[3] = l;
    const t = g + l;
    return t === 0 ? 50 : (100 * g) / t;
  }
}

/**
 * Relative Strength Index with Wilder smoothing: the first average gain/loss
 * is the SMA of the first `period` changes, then avg = (avg*(p-1) + x)/p,
 * computed as (1 - 1/p)*avg + x/p (one multiply-add on each loop-carried
 * chain). A flat window (no gains, no losses) reads 50; no losses reads 100.
 * Gain and loss are (|d| + d)/2 and (|d| - d)/2: exact, and free of the
 * coin-flip branch on the sign of each change.
 * State: [count (capped at period + 1), prevClose, avgGain, avgLoss].
 */
export const rsi = defineIndicator<P>({
  name: 'rsi',
  title: 'Relative Strength Index',
  inputs: ['close'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period,
  notes: 'Wilder smoothing seeded by the SMA of the first `period` changes.',
  kernel: rsiKernel,
  stream: (p) => new RsiStream(p),
});

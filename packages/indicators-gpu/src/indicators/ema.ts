import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import type { Kernel } from '../core/kernel.js';
import { StateStream } from '../core/state-stream.js';
import { blockCoefficients, type BlockCoefficients } from '../kernels/block-smoothing.js';
import type { Bar } from '../core/types.js';
import { period } from '../kernels/param.js';
import { gpuEma } from '../multi/gpu-bodies.js';

const params = z.object({ period: period(20) });
type P = z.output<typeof params>;

/** EMA's smoothing, alpha = 2/(period + 1), in block form. */
function coefficients(period: number): BlockCoefficients {
  return blockCoefficients(2 / (period + 1));
}

const emaKernel: Kernel<P> = {
  layout: () => ({ size: 3, hot: 3 }),
  screensInputs: true,
  run(ins, outs, st, p, from, to) {
    const x = ins[0]!;
    const o = outs[0]!;
    // An int, so index arithmetic like x[i - n] stays in integer registers (params may arrive as doubles).
    const n = p.period | 0;
    const { a, b, b2, b3, b4 } = coefficients(n);
    let cnt = st[0]!;
    let v = st[1]!;
    let c = st[2]!;
    // Inputs are screened with one compare per bar (NaN fails x > 0); +Infinity
    // is the one bad value that passes, and it leaves v or c non-finite.
    let ok = true;
    let i = from;
    for (; i < to && cnt < n; i++) {
      const xi = x[i]!;
      if (!(xi > 0)) ok = false;
      v += xi;
      cnt++;
      if (cnt === n) {
        v /= n;
        o[i] = v;
      } else o[i] = NaN;
    }
    // The phase within the current block follows from the bar count.
    let k = cnt < n ? 0 : (cnt - n) & 3;
    cnt += to - i;
    // Finish a block begun in an earlier call, one bar at a time.
    for (; i < to && k !== 0; i++) {
      const xi = x[i]!;
      if (!(xi > 0)) ok = false;
      c = a * xi + b * c;
      const y = (k === 1 ? b2 : k === 2 ? b3 : b4) * v + c;
      o[i] = y;
      if (++k === 4) {
        v = y;
        k = 0;
      }
    }
    // Whole blocks from a block boundary, four blocks per trip. A bad input leaves the
    // loop at its bar for the bar-at-a-time loop below, which flags it: the hot path
    // carries no `ok`, only a compare and branch per bar. `to` masked to 30 bits lets
    // Turbofan prove that i + 15 fits an int32 and drop an overflow check per access;
    // series of 2^30 bars or more go bar by bar.
    if (k === 0 && to < 0x40000000) {
      const start = i & 0x3fffffff;
      const last = (to & 0x3fffffff) - 15;
      for (i = start; i < last; i += 16) {
        let xi = x[i]!;
        if (!(xi > 0)) break;
        c = a * xi;
        o[i] = b * v + c;
        xi = x[i + 1]!;
        if (!(xi > 0)) { i += 1; break; }
        c = a * xi + b * c;
        o[i + 1] = b2 * v + c;
        xi = x[i + 2]!;
        if (!(xi > 0)) { i += 2; break; }
        c = a * xi + b * c;
        o[i + 2] = b3 * v + c;
        xi = x[i + 3]!;
        if (!(xi > 0)) { i += 3; break; }
        c = a * xi + b * c;
        v = b4 * v + c;
        o[i + 3] = v;
        xi = x[i + 4]!;
        if (!(xi > 0)) { i += 4; break; }
        c = a * xi;
        o[i + 4] = b * v + c;
        xi = x[i + 5]!;
        if (!(xi > 0)) { i += 5; break; }
        c = a * xi + b * c;
        o[i + 5] = b2 * v + c;
        xi = x[i + 6]!;
        if (!(xi > 0)) { i += 6; break; }
        c = a * xi + b * c;
        o[i + 6] = b3 * v + c;
        xi = x[i + 7]!;
        if (!(xi > 0)) { i += 7; break; }
        c = a * xi + b * c;
        v = b4 * v + c;
        o[i + 7] = v;
        xi = x[i + 8]!;
        if (!(xi > 0)) { i += 8; break; }
        c = a * xi;
        o[i + 8] = b * v + c;
        xi = x[i + 9]!;
        if (!(xi > 0)) { i += 9; break; }
        c = a * xi + b * c;
        o[i + 9] = b2 * v + c;
        xi = x[i + 10]!;
        if (!(xi > 0)) { i += 10; break; }
        c = a * xi + b * c;
        o[i + 10] = b3 * v + c;
        xi = x[i + 11]!;
        if (!(xi > 0)) { i += 11; break; }
        c = a * xi + b * c;
        v = b4 * v + c;
        o[i + 11] = v;
        xi = x[i + 12]!;
        if (!(xi > 0)) { i += 12; break; }
        c = a * xi;
        o[i + 12] = b * v + c;
        xi = x[i + 13]!;
        if (!(xi > 0)) { i += 13; break; }
        c = a * xi + b * c;
        o[i + 13] = b2 * v + c;
        xi = x[i + 14]!;
        if (!(xi > 0)) { i += 14; break; }
        c = a * xi + b * c;
        o[i + 14] = b3 * v + c;
        xi = x[i + 15]!;
        if (!(xi > 0)) { i += 15; break; }
        c = a * xi + b * c;
        v = b4 * v + c;
        o[i + 15] = v;
      }
      k = (i - start) & 3;
    }
    // The rest (and everything from a bad input on), one bar at a time.
    for (; i < to; i++) {
      const xi = x[i]!;
      if (!(xi > 0)) ok = false;
      c = k === 0 ? a * xi : a * xi + b * c;
      const y = (k === 0 ? b : k === 1 ? b2 : k === 2 ? b3 : b4) * v + c;
      o[i] = y;
      if (++k === 4) {
        v = y;
        k = 0;
      }
    }
    st[0] = cnt;
    st[1] = v;
    // c is 0 at a block boundary: the streaming step then needs no special case for phase 0.
    st[2] = k === 0 ? 0 : c;
    return ok && v < Infinity && c < Infinity;
  },
};

/**
 * Streaming EMA: the kernel's per-bar arithmetic, on state held in plain fields. A
 * Float64Array state costs a detach check and a bounds check per access once any
 * buffer in the process has been detached (see docs/indicators.md); fields cost a
 * load each. The kernel's array (`st`) is written from the fields before a backfill
 * and read back after it (see {@link StateStream.saveState}).
 *
 * For replace() it keeps only what an update overwrites and cannot recompute: the
 * bar count steps back by one, c before the update is kept in `pc`, and v in `pv`
 * when the update changed it (during the seed, and when a block of four completes).
 */
class EmaStream extends StateStream<P> {
  /** Bars seen. */
  private t = 0;
  /** The seed sum, then the base value of the current block of four. */
  private v = 0;
  /** The running part within the block (0 at a block boundary). */
  private c = 0;
  /** v and c before the last update(), for replace(). */
  private pv = 0;
  private pc = 0;
  // Constants start as numbers (set for real in the constructor): a field declared bare
  // starts undefined, and V8 then type-checks it on every read in update().
  private readonly n: number = 0;
  private readonly a: number = 0;
  private readonly b: number = 0;
  private readonly b2: number = 0;
  private readonly b3: number = 0;
  private readonly b4: number = 0;

  constructor(p: P) {
    super('ema', ['close'], ['value'], emaKernel, p);
    const k = coefficients(p.period);
    this.n = p.period;
    this.a = k.a;
    this.b = k.b;
    this.b2 = k.b2;
    this.b3 = k.b3;
    this.b4 = k.b4;
  }

  override get count(): number {
    return this.t;
  }

  update(bar: Bar): { value: number } {
    const x = bar.close;
    const t = this.t;
    if (!(x > 0 && x < Infinity)) throw this.badField('close', x, t);
    return { value: this.step(t, this.v, this.c, x) };
  }

  replace(bar: Bar): { value: number } {
    const t = this.t - 1;
    if (t < 0) throw this.notStarted();
    const x = bar.close;
    if (!(x > 0 && x < Infinity)) throw this.badField('close', x, t);
    const n = this.n;
    // v changed in the last update only during the seed or when it closed a block.
    const vChanged = t < n || ((t - n) & 3) === 3;
    return { value: this.step(t, vChanged ? this.pv : this.v, this.pc, x) };
  }

  protected override saveState(st: Float64Array): void {
    st[0] = this.t;
    st[1] = this.v;
    st[2] = this.c;
  }

  protected override loadState(st: Float64Array): void {
    this.t = st[0]!;
    this.v = st[1]!;
    this.c = st[2]!;
  }

  /**
   * One bar from state (t, v, c), exactly as the kernel computes it (c is 0 at a block
   * boundary, and a*x + b*0 is a*x); keeps what replace() needs to undo it.
   */
  private step(t: number, v: number, c: number, x: number): number {
    const n = this.n;
    this.t = t + 1;
    this.pc = c;
    if (t < n) return this.seed(t, v, x);
    const k = (t - n) & 3;
    const cn = this.a * x + this.b * c;
    if (k === 3) {
      const y = this.b4 * v + cn;
      this.pv = v;
      this.v = y;
      this.c = 0;
      return y;
    }
    this.c = cn;
    return (k === 0 ? this.b : k === 1 ? this.b2 : this.b3) * v + cn;
  }

  /** A bar of the seed: the sum of the first n closes, then their mean. */
  private seed(t: number, v: number, x: number): number {
    const n = this.n;
    this.pv = v;
    const w = v + x;
    if (t + 1 < n) {
      this.v = w;
      return NaN;
    }
    const s = w / n;
    this.v = s;
    return s;
  }
}

/**
 * Exponential moving average, alpha = 2 / (period + 1), seeded with the SMA
 * of the first `period` values (the technicalindicators / TA-Lib convention;
 * tulip seeds with the first value instead).
 *
 * After the seed, bars go in blocks of four from a base value v:
 * c0 = a*x0, ck = a*xk + b*c(k-1), and bar k of the block is b^(k+1)*v + ck
 * (b = 1 - a). That is the textbook recurrence regrouped, so the result
 * differs from it by a few ulps; what it buys is a loop-carried chain of one
 * multiply-add per four bars instead of one per bar. Every path (batch, a
 * bar at a time, any chunking) runs the same formula for the same bar, so
 * batch and streaming agree bit for bit.
 *
 * State: [bars seen, v (seed sum, then block base), c]; the phase within a
 * block is (bars seen - period) mod 4.
 */
export const ema = defineIndicator<P>({
  name: 'ema',
  title: 'Exponential Moving Average',
  inputs: ['close'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period - 1,
  notes: 'Seeded by the SMA of the first `period` values; alpha = 2/(period+1).',
  kernel: emaKernel,
  stream: (p) => new EmaStream(p),
  gpu: gpuEma,
});

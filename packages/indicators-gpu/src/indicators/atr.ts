import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import type { Kernel } from '../core/kernel.js';
import { StateStream } from '../core/state-stream.js';
import { blockCoefficients, type BlockCoefficients } from '../kernels/block-smoothing.js';
import type { Bar } from '../core/types.js';
import { period } from '../kernels/param.js';

const params = z.object({ period: period(14) });
type P = z.output<typeof params>;

const atrKernel: Kernel<P> = {
  layout: () => ({ size: 5, hot: 5 }),
  screensInputs: true,
  run(ins, outs, st, p, from, to) {
    const hi = ins[0]!;
    const lo = ins[1]!;
    const cl = ins[2]!;
    const o = outs[0]!;
    // An int, so index arithmetic like x[i - n] stays in integer registers (params may arrive as doubles).
    const n = p.period | 0;
    const { a, b, b2, b3, b4 } = coefficients(n);
    let cnt = st[0]!;
    let pc = st[1]!;
    let v = st[2]!;
    let c = st[3]!;
    let k = st[4]!;
    // Screening: l > 0, h - l >= 0 and close > 0 per bar (NaN fails each).
    // +Infinity in high or close passes them but makes a true range, and so
    // the ATR, infinite; bar 0's high and the last close feed no true range
    // here, so those two are checked outright.
    let ok = true;
    let i = from;
    if (i < to && cnt === 0) {
      const h = hi[i]!;
      const l = lo[i]!;
      pc = cl[i]!;
      if (!(l > 0 && h - l >= 0 && h < Infinity && pc > 0)) ok = false;
      cnt = 1;
      o[i] = NaN;
      i++;
    }
    for (; i < to && cnt <= n; i++) {
      const h = hi[i]!;
      const l = lo[i]!;
      const r = h - l;
      const tr = (r + Math.abs(h - pc) + Math.abs(l - pc)) * 0.5;
      pc = cl[i]!;
      if (!(l > 0 && r >= 0 && pc > 0)) ok = false;
      cnt++;
      if (cnt <= n) {
        v += tr;
        o[i] = NaN;
      } else {
        v = (v + tr) / n;
        o[i] = v;
      }
    }
    // Finish a block begun in an earlier call.
    for (; i < to && k !== 0; i++) {
      const h = hi[i]!;
      const l = lo[i]!;
      const r = h - l;
      const tr = (r + Math.abs(h - pc) + Math.abs(l - pc)) * 0.5;
      pc = cl[i]!;
      if (!(l > 0 && r >= 0 && pc > 0)) ok = false;
      c = a * tr + b * c;
      const y = (k === 1 ? b2 : k === 2 ? b3 : b4) * v + c;
      o[i] = y;
      if (++k === 4) {
        v = y;
        k = 0;
      }
    }
    for (; i + 3 < to; i += 4) {
      const h0 = hi[i]!;
      const l0 = lo[i]!;
      const c0 = cl[i]!;
      const h1 = hi[i + 1]!;
      const l1 = lo[i + 1]!;
      const c1 = cl[i + 1]!;
      const h2 = hi[i + 2]!;
      const l2 = lo[i + 2]!;
      const c2 = cl[i + 2]!;
      const h3 = hi[i + 3]!;
      const l3 = lo[i + 3]!;
      const c3 = cl[i + 3]!;
      const r0 = h0 - l0;
      const r1 = h1 - l1;
      const r2 = h2 - l2;
      const r3 = h3 - l3;
      if (!(l0 > 0 && l1 > 0 && l2 > 0 && l3 > 0 && r0 >= 0 && r1 >= 0 && r2 >= 0 && r3 >= 0 && c0 > 0 && c1 > 0 && c2 > 0 && c3 > 0)) ok = false;
      const t0 = (r0 + Math.abs(h0 - pc) + Math.abs(l0 - pc)) * 0.5;
      const t1 = (r1 + Math.abs(h1 - c0) + Math.abs(l1 - c0)) * 0.5;
      const t2 = (r2 + Math.abs(h2 - c1) + Math.abs(l2 - c1)) * 0.5;
      const t3 = (r3 + Math.abs(h3 - c2) + Math.abs(l3 - c2)) * 0.5;
      pc = c3;
      const s0 = a * t0;
      const s1 = a * t1 + b * s0;
      const s2 = a * t2 + b * s1;
      c = a * t3 + b * s2;
      o[i] = b * v + s0;
      o[i + 1] = b2 * v + s1;
      o[i + 2] = b3 * v + s2;
      v = b4 * v + c;
      o[i + 3] = v;
    }
    // Start a block that a later call will finish.
    for (; i < to; i++) {
      const h = hi[i]!;
      const l = lo[i]!;
      const r = h - l;
      const tr = (r + Math.abs(h - pc) + Math.abs(l - pc)) * 0.5;
      pc = cl[i]!;
      if (!(l > 0 && r >= 0 && pc > 0)) ok = false;
      c = k === 0 ? a * tr : a * tr + b * c;
      const y = (k === 0 ? b : k === 1 ? b2 : b3) * v + c;
      o[i] = y;
      k++;
    }
    st[0] = cnt;
    st[1] = pc;
    st[2] = v;
    // c is 0 at a block boundary: the streaming step then needs no special case for phase 0.
    st[3] = k === 0 ? 0 : c;
    st[4] = k;
    return ok && v < Infinity && c < Infinity && pc < Infinity;
  },
};

/** Wilder's smoothing, alpha = 1/period, in block form. */
function coefficients(period: number): BlockCoefficients {
  return blockCoefficients(1 / period);
}

/** Streaming ATR: the kernel's per-bar arithmetic on its state. */
class AtrStream extends StateStream<P> {
  private readonly n: number;
  private readonly a: number;
  private readonly b: number;
  /** b^(k+1) for phase k. */
  private readonly pow: Float64Array;
  /** State before the last update(), for replace(). */
  private readonly snap = new Float64Array(5);

  constructor(p: P) {
    super('atr', ['high', 'low', 'close'], ['value'], atrKernel, p);
    const k = coefficients(p.period);
    this.n = p.period;
    this.a = k.a;
    this.b = k.b;
    this.pow = Float64Array.of(k.b, k.b2, k.b3, k.b4);
  }

  update(bar: Bar): { value: number } {
    this.check(bar, this.bars);
    const st = this.st;
    const snap = this.snap;
    snap[0] = st[0]!;
    snap[1] = st[1]!;
    snap[2] = st[2]!;
    snap[3] = st[3]!;
    snap[4] = st[4]!;
    this.bars++;
    return { value: this.step(st, bar.high, bar.low, bar.close) };
  }

  replace(bar: Bar): { value: number } {
    if (this.bars === 0) throw this.notStarted();
    this.check(bar, this.bars - 1);
    const st = this.st;
    const snap = this.snap;
    st[0] = snap[0]!;
    st[1] = snap[1]!;
    st[2] = snap[2]!;
    st[3] = snap[3]!;
    st[4] = snap[4]!;
    return { value: this.step(st, bar.high, bar.low, bar.close) };
  }

  private check(bar: Bar, index: number): void {
    const h = bar.high;
    const l = bar.low;
    const c = bar.close;
    if (!(h > 0 && h < Infinity)) throw this.badField('high', h, index);
    if (!(l > 0 && l < Infinity)) throw this.badField('low', l, index);
    if (!(c > 0 && c < Infinity)) throw this.badField('close', c, index);
    if (h < l) throw this.badRange(bar);
  }

  /** One bar, exactly as the kernel computes it (c is 0 at a block boundary, and a*tr + b*0 is a*tr). */
  private step(st: Float64Array, h: number, l: number, close: number): number {
    const n = this.n;
    const cnt = st[0]!;
    const pc = st[1]!;
    st[1] = close;
    if (cnt === 0) {
      st[0] = 1;
      return NaN;
    }
    const tr = (h - l + Math.abs(h - pc) + Math.abs(l - pc)) * 0.5;
    if (cnt <= n) {
      st[0] = cnt + 1;
      if (cnt < n) {
        st[2] = st[2]! + tr;
        return NaN;
      }
      const v = (st[2]! + tr) / n;
      st[2] = v;
      return v;
    }
    const k = st[4]!;
    const c = this.a * tr + this.b * st[3]!;
    const y = this.pow[k]! * st[2]! + c;
    if (k === 3) {
      st[2] = y;
      st[3] = 0;
      st[4] = 0;
    } else {
      st[3] = c;
      st[4] = k + 1;
    }
    return y;
  }
}

/**
 * Average True Range with Wilder smoothing, seeded by the SMA of the first
 * `period` true ranges. True range needs the previous close, so it starts at
 * bar 1 (TA-Lib / technicalindicators convention; tulip also counts bar 0
 * as high - low and is one bar earlier).
 *
 * Two exact-in-real-arithmetic rewrites keep the loop free of unpredictable
 * branches and short on its loop-carried chain: true range as
 * ((h - l) + |h - pc| + |l - pc|) / 2, which equals max(h, pc) - min(l, pc);
 * and after the seed the smoothing runs in blocks of four like {@link ema}
 * (alpha = 1/period). Batch and streaming run the same formula per bar, so
 * they agree bit for bit; against the textbook form they differ by ulps.
 *
 * State: [count (capped at period + 1), prevClose, atr (block base), c, phase k].
 */
export const atr = defineIndicator<P>({
  name: 'atr',
  title: 'Average True Range',
  inputs: ['high', 'low', 'close'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period,
  notes: 'Wilder smoothing (alpha = 1/period) seeded by the SMA of the first `period` true ranges; TR starts at bar 1 (needs a previous close).',
  kernel: atrKernel,
  stream: (p) => new AtrStream(p),
});

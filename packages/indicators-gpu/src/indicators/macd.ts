import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import type { Kernel } from '../core/kernel.js';
import { StateStream } from '../core/state-stream.js';
import type { Bar } from '../core/types.js';
import { period } from '../kernels/param.js';

const params = z.object({ fast: period(12), slow: period(26), signal: period(9) });
type P = z.output<typeof params>;

const macdKernel: Kernel<P> = {
  // State: [count, fastEma, slowEma, signal]; EMAs hold running sums while seeding.
  layout: () => ({ size: 4, hot: 4 }),
  screensInputs: true,
  run(ins, outs, st, p, from, to) {
    const x = ins[0]!;
    const om = outs[0]!;
    const os = outs[1]!;
    const oh = outs[2]!;
    const nf = p.fast | 0;
    const ns = p.slow | 0;
    const ng = p.signal | 0;
    const af = 2 / (nf + 1);
    const as = 2 / (ns + 1);
    const ag = 2 / (ng + 1);
    const ready = ns + ng - 1;
    let cnt = st[0]! | 0;
    let f = st[1]!;
    let s = st[2]!;
    let g = st[3]!;
    // Screening: one compare per bar (NaN fails v > 0); +Infinity leaves the EMAs non-finite.
    let ok = true;
    let i = from;
    // Warm-up: seed the EMAs (SMA seeds) bar by bar, like three chained emaStep calls.
    for (; i < to && cnt < ready; i++) {
      const v = x[i]!;
      if (!(v > 0)) ok = false;
      cnt++;
      if (cnt < nf) f += v;
      else if (cnt === nf) f = (f + v) / nf;
      else f = (1 - af) * f + af * v;
      if (cnt < ns) s += v;
      else if (cnt === ns) s = (s + v) / ns;
      else s = (1 - as) * s + as * v;
      if (cnt >= ns) {
        const k = cnt - ns + 1;
        const m = f - s;
        if (k < ng) g += m;
        else {
          g = (g + m) / ng;
          om[i] = m;
          os[i] = g;
          oh[i] = m - g;
          continue;
        }
      }
      om[i] = os[i] = oh[i] = NaN;
    }
    const bf = 1 - af;
    const bs = 1 - as;
    const bg = 1 - ag;
    // Four bars per trip, the same operations in the same order as the one-bar loop below.
    for (; i + 3 < to; i += 4) {
      const v0 = x[i]!;
      const v1 = x[i + 1]!;
      const v2 = x[i + 2]!;
      const v3 = x[i + 3]!;
      if (!(v0 > 0 && v1 > 0 && v2 > 0 && v3 > 0)) ok = false;
      f = bf * f + af * v0;
      s = bs * s + as * v0;
      const m0 = f - s;
      g = bg * g + ag * m0;
      om[i + 0] = m0;
      os[i + 0] = g;
      oh[i + 0] = m0 - g;
      f = bf * f + af * v1;
      s = bs * s + as * v1;
      const m1 = f - s;
      g = bg * g + ag * m1;
      om[i + 1] = m1;
      os[i + 1] = g;
      oh[i + 1] = m1 - g;
      f = bf * f + af * v2;
      s = bs * s + as * v2;
      const m2 = f - s;
      g = bg * g + ag * m2;
      om[i + 2] = m2;
      os[i + 2] = g;
      oh[i + 2] = m2 - g;
      f = bf * f + af * v3;
      s = bs * s + as * v3;
      const m3 = f - s;
      g = bg * g + ag * m3;
      om[i + 3] = m3;
      os[i + 3] = g;
      oh[i + 3] = m3 - g;
    }
    for (; i < to; i++) {
      const v = x[i]!;
      if (!(v > 0)) ok = false;
      // (1-a)*prev + a*x keeps one multiply-add on each loop-carried chain.
      f = bf * f + af * v;
      s = bs * s + as * v;
      const m = f - s;
      g = bg * g + ag * m;
      om[i] = m;
      os[i] = g;
      oh[i] = m - g;
    }
    st[0] = cnt;
    st[1] = f;
    st[2] = s;
    st[3] = g;
    return ok && f < Infinity && s < Infinity;
  },
};

// A type alias, not an interface, so it is assignable to Record<string, number>.
type MacdResult = { macd: number; signal: number; histogram: number };

/** Streaming MACD: the kernel's per-bar arithmetic on its state. */
class MacdStream extends StateStream<P> {
  // Constants start as numbers (set for real in the constructor): a field declared bare
  // starts undefined, and V8 then type-checks it on every read in update().
  private readonly nf: number = 0;
  private readonly ns: number = 0;
  private readonly ng: number = 0;
  private readonly af: number = 0;
  private readonly as: number = 0;
  private readonly ag: number = 0;
  /** [count, fastEma, slowEma, signal] before the last update(), for replace(). */
  private readonly snap = new Float64Array(4);

  constructor(p: P) {
    super('macd', ['close'], ['macd', 'signal', 'histogram'], macdKernel, p);
    this.nf = p.fast;
    this.ns = p.slow;
    this.ng = p.signal;
    this.af = 2 / (p.fast + 1);
    this.as = 2 / (p.slow + 1);
    this.ag = 2 / (p.signal + 1);
  }

  update(bar: Bar): MacdResult {
    const x = bar.close;
    if (!(x > 0 && x < Infinity)) throw this.badField('close', x, this.bars);
    const st = this.st;
    const snap = this.snap;
    snap[0] = st[0]!;
    snap[1] = st[1]!;
    snap[2] = st[2]!;
    snap[3] = st[3]!;
    this.bars++;
    return this.step(st, x);
  }

  replace(bar: Bar): MacdResult {
    if (this.bars === 0) throw this.notStarted();
    const x = bar.close;
    if (!(x > 0 && x < Infinity)) throw this.badField('close', x, this.bars - 1);
    const st = this.st;
    const snap = this.snap;
    st[0] = snap[0]!;
    st[1] = snap[1]!;
    st[2] = snap[2]!;
    st[3] = snap[3]!;
    return this.step(st, x);
  }

  /** One bar, exactly as the kernel computes it. */
  private step(st: Float64Array, v: number): MacdResult {
    const { nf, ns, ng, af, as, ag } = this;
    let cnt = st[0]!;
    let f = st[1]!;
    let s = st[2]!;
    let g = st[3]!;
    if (cnt >= ns + ng - 1) {
      f = (1 - af) * f + af * v;
      s = (1 - as) * s + as * v;
      const m = f - s;
      g = (1 - ag) * g + ag * m;
      st[1] = f;
      st[2] = s;
      st[3] = g;
      return { macd: m, signal: g, histogram: m - g };
    }
    cnt++;
    if (cnt < nf) f += v;
    else if (cnt === nf) f = (f + v) / nf;
    else f = (1 - af) * f + af * v;
    if (cnt < ns) s += v;
    else if (cnt === ns) s = (s + v) / ns;
    else s = (1 - as) * s + as * v;
    let out: MacdResult = { macd: NaN, signal: NaN, histogram: NaN };
    if (cnt >= ns) {
      const m = f - s;
      if (cnt - ns + 1 < ng) g += m;
      else {
        g = (g + m) / ng;
        out = { macd: m, signal: g, histogram: m - g };
      }
    }
    st[0] = cnt;
    st[1] = f;
    st[2] = s;
    st[3] = g;
    return out;
  }
}

/**
 * MACD: EMA(fast) - EMA(slow) (both SMA-seeded), signal = EMA(signal) of
 * the MACD line, histogram = macd - signal. All three are NaN until the
 * signal exists, so every output shares one warm-up.
 */
export const macd = defineIndicator<P>({
  name: 'macd',
  title: 'Moving Average Convergence Divergence',
  inputs: ['close'],
  params,
  outputs: ['macd', 'signal', 'histogram'],
  warmup: (p) => p.slow - 1 + p.signal - 1,
  check: (p) => (p.fast < p.slow ? undefined : `'fast' (${p.fast}) must be less than 'slow' (${p.slow})`),
  notes: 'EMAs seeded by SMA (technicalindicators convention); macd line masked to NaN until the signal is ready.',
  kernel: macdKernel,
  stream: (p) => new MacdStream(p),
});

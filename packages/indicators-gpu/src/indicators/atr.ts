import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { StateStream } from '../core/state-stream.js';
import type { Bar } from '../core/types.js';
import { period } from '../kernels/param.js';
import { atrCoefficients, atrKernel } from './atr-kernel.js';

const params = z.object({ period: period(14) });
type P = z.output<typeof params>;

/** Streaming ATR: the kernel's per-bar arithmetic on its state. */
class AtrStream extends StateStream<P> {
  // Constants start as numbers (set for real in the constructor): a field declared bare
  // starts undefined, and V8 then type-checks it on every read in update().
  private readonly n: number = 0;
  /** Half the smoothing factor: it multiplies twice the true range. */
  private readonly ah: number = 0;
  private readonly b: number = 0;
  /** b^(k+1) for phase k. */
  private readonly pow = new Float64Array(4);
  /** State before the last update(), for replace(). */
  private readonly snap = new Float64Array(5);

  constructor(p: P) {
    super('atr', ['high', 'low', 'close'], ['value'], atrKernel, p);
    const k = atrCoefficients(p.period);
    this.n = p.period;
    this.ah = k.a * 0.5;
    this.b = k.b;
    this.pow.set([k.b, k.b2, k.b3, k.b4]);
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

  /** One bar, exactly as the kernel computes it (c is 0 at a block boundary, and a*s + b*0 is a*s). */
  private step(st: Float64Array, h: number, l: number, close: number): number {
    const n = this.n;
    const cnt = st[0]!;
    const pc = st[1]!;
    st[1] = close;
    if (cnt === 0) {
      st[0] = 1;
      return NaN;
    }
    const s = h - l + Math.abs(h - pc) + Math.abs(l - pc);
    if (cnt <= n) {
      st[0] = cnt + 1;
      const tr = s * 0.5;
      if (cnt < n) {
        st[2] = st[2]! + tr;
        return NaN;
      }
      const v = (st[2]! + tr) / n;
      st[2] = v;
      return v;
    }
    const k = st[4]!;
    const c = this.ah * s + this.b * st[3]!;
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
 * ((h - l) + |h - pc| + |l - pc|) / 2, which equals max(h, pc) - min(l, pc)
 * (after the seed the halving is folded into the smoothing factor, a/2 times
 * the doubled range: halving a double is exact); and after the seed the
 * smoothing runs in blocks of four like {@link ema} (alpha = 1/period). Batch
 * and streaming run the same formula per bar, so they agree bit for bit;
 * against the textbook form they differ by ulps. The kernel is in
 * `atr-kernel.ts`.
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

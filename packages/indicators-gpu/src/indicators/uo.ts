import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { SUM_HOT } from '../kernels/steps.js';

/** Offset of sumStep's hot slots for sum k (BP then TR of each window). */
function sumAt(k: number): number {
  return 2 + k * SUM_HOT;
}

const params = z.object({ short: period(7), medium: period(14), long: period(28) });
type P = z.output<typeof params>;

/**
 * Ultimate oscillator: buying pressure BP = close - min(low, prevClose),
 * TR = max(high, prevClose) - min(low, prevClose), from bar 1;
 * 100 * (4*A(short) + 2*A(medium) + A(long)) / 7 with A(n) = sum BP / sum TR
 * (a window without range counts as 0).
 */
export const uo = defineIndicator<P>({
  name: 'uo',
  title: 'Ultimate Oscillator',
  inputs: ['high', 'low', 'close'],
  params,
  outputs: ['value'],
  warmup: (p) => Math.max(p.short, p.medium, p.long),
  check: (p) => (p.short <= p.medium && p.medium <= p.long ? undefined : `'medium' (${p.medium}) must lie between 'short' and 'long'`),
  kernel: {
    layout: (p) => ({ size: 2 + 6 * SUM_HOT + 2 * (p.short + p.medium + p.long + 3), hot: 2 + 6 * SUM_HOT }),
    run(ins, outs, st, p, from, to) {
      const [hi, lo, cl] = ins as [Float64Array, Float64Array, Float64Array];
      const o = outs[0]!;
      const n1 = p.short | 0;
      const n2 = p.medium | 0;
      const n3 = p.long | 0;
      // State: [started, previous close], then sumStep's (count, head, sum) for BP and
      // TR of each window, rings after the hot area. Held in locals for the run: the
      // same arithmetic in the same order, so the same bits as bar by bar. A window's
      // BP and TR sums advance together and share count and head.
      const rb1 = 2 + 6 * SUM_HOT;
      const rt1 = rb1 + n1 + 1;
      const rb2 = rt1 + n1 + 1;
      const rt2 = rb2 + n2 + 1;
      const rb3 = rt2 + n2 + 1;
      const rt3 = rb3 + n3 + 1;
      let started = st[0] !== 0;
      let pc = st[1]!;
      let count = st[sumAt(0)]!;
      let h1 = st[sumAt(0) + 1]! | 0;
      let h2 = st[sumAt(2) + 1]! | 0;
      let h3 = st[sumAt(4) + 1]! | 0;
      let b1 = st[sumAt(0) + 2]!;
      let t1 = st[sumAt(1) + 2]!;
      let b2 = st[sumAt(2) + 2]!;
      let t2 = st[sumAt(3) + 2]!;
      let b3 = st[sumAt(4) + 2]!;
      let t3 = st[sumAt(5) + 2]!;
      for (let i = from; i < to; i++) {
        const c = cl[i]!;
        if (!started) {
          started = true;
          pc = c;
          o[i] = NaN;
          continue;
        }
        const low = Math.min(lo[i]!, pc);
        const bp = c - low;
        const tr = Math.max(hi[i]!, pc) - low;
        pc = c;
        count++;
        st[rb1 + h1] = bp;
        st[rt1 + h1] = tr;
        h1 = h1 === n1 ? 0 : h1 + 1;
        b1 = b1 + bp - st[rb1 + h1]!;
        t1 = t1 + tr - st[rt1 + h1]!;
        st[rb2 + h2] = bp;
        st[rt2 + h2] = tr;
        h2 = h2 === n2 ? 0 : h2 + 1;
        b2 = b2 + bp - st[rb2 + h2]!;
        t2 = t2 + tr - st[rt2 + h2]!;
        st[rb3 + h3] = bp;
        st[rt3 + h3] = tr;
        h3 = h3 === n3 ? 0 : h3 + 1;
        b3 = b3 + bp - st[rb3 + h3]!;
        t3 = t3 + tr - st[rt3 + h3]!;
        if (count < n1 || count < n2 || count < n3) {
          o[i] = NaN;
          continue;
        }
        let acc = 0;
        acc += 4 * (t1 > 0 ? b1 / t1 : 0);
        acc += 2 * (t2 > 0 ? b2 / t2 : 0);
        acc += 1 * (t3 > 0 ? b3 / t3 : 0);
        o[i] = (100 * acc) / 7;
      }
      st[0] = started ? 1 : 0;
      st[1] = pc;
      for (let k = 0; k < 6; k++) st[sumAt(k)] = count;
      st[sumAt(0) + 1] = st[sumAt(1) + 1] = h1;
      st[sumAt(2) + 1] = st[sumAt(3) + 1] = h2;
      st[sumAt(4) + 1] = st[sumAt(5) + 1] = h3;
      st[sumAt(0) + 2] = b1;
      st[sumAt(1) + 2] = t1;
      st[sumAt(2) + 2] = b2;
      st[sumAt(3) + 2] = t2;
      st[sumAt(4) + 2] = b3;
      st[sumAt(5) + 2] = t3;
    },
  },
});

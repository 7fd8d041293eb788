import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { WMA_HOT } from '../kernels/steps.js';

const params = z.object({ period: period(16, 2) });
type P = z.output<typeof params>;

const half = (p: P) => Math.floor(p.period / 2);
const root = (p: P) => Math.floor(Math.sqrt(p.period));

/** Hull moving average: WMA(2*WMA(x, n/2) - WMA(x, n), floor(sqrt(n))). */
export const hma = defineIndicator<P>({
  name: 'hma',
  title: 'Hull Moving Average',
  inputs: ['close'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period - 1 + root(p) - 1,
  kernel: {
    // Hot: three WMA steps; cold: their rings.
    layout: (p) => ({ size: 3 * WMA_HOT + half(p) + 1 + p.period + 1 + root(p) + 1, hot: 3 * WMA_HOT }),
    run(ins, outs, st, p, from, to) {
      const x = ins[0]!;
      const o = outs[0]!;
      const h = half(p);
      const q = root(p);
      const r1 = 3 * WMA_HOT;
      const r2 = r1 + h + 1;
      const r3 = r2 + p.period + 1;
      const n1 = h | 0;
      const n2 = p.period | 0;
      const n3 = q | 0;
      // Reciprocals of the weight totals: a multiply per average instead of a division.
      const d1 = 2 / (n1 * (n1 + 1));
      const d2 = 2 / (n2 * (n2 + 1));
      const d3 = 2 / (n3 * (n3 + 1));
      // wmaStep's three states (count, head, plain sum, weighted sum) in locals for
      // the run. The first two see every bar and share count; the third skips their
      // warm-up NaNs, as wmaStep does.
      let c1 = st[0]!;
      let h1 = st[1]! | 0;
      let s1 = st[2]!;
      let w1 = st[3]!;
      let h2 = st[WMA_HOT + 1]! | 0;
      let s2 = st[WMA_HOT + 2]!;
      let w2 = st[WMA_HOT + 3]!;
      let c3 = st[2 * WMA_HOT]!;
      let h3 = st[2 * WMA_HOT + 1]! | 0;
      let s3 = st[2 * WMA_HOT + 2]!;
      let w3 = st[2 * WMA_HOT + 3]!;
      for (let i = from; i < to; i++) {
        const v = x[i]!;
        st[r1 + h1] = v;
        h1 = h1 === n1 ? 0 : h1 + 1;
        w1 = w1 + n1 * v - s1;
        s1 = s1 + v - st[r1 + h1]!;
        st[r2 + h2] = v;
        h2 = h2 === n2 ? 0 : h2 + 1;
        w2 = w2 + n2 * v - s2;
        s2 = s2 + v - st[r2 + h2]!;
        c1++;
        if (c1 < n1 || c1 < n2) {
          o[i] = NaN;
          continue;
        }
        const y = 2 * (w1 * d1) - w2 * d2;
        st[r3 + h3] = y;
        h3 = h3 === n3 ? 0 : h3 + 1;
        w3 = w3 + n3 * y - s3;
        s3 = s3 + y - st[r3 + h3]!;
        c3++;
        o[i] = c3 >= n3 ? w3 * d3 : NaN;
      }
      st[0] = st[WMA_HOT] = c1;
      st[1] = h1;
      st[2] = s1;
      st[3] = w1;
      st[WMA_HOT + 1] = h2;
      st[WMA_HOT + 2] = s2;
      st[WMA_HOT + 3] = w2;
      st[2 * WMA_HOT] = c3;
      st[2 * WMA_HOT + 1] = h3;
      st[2 * WMA_HOT + 2] = s3;
      st[2 * WMA_HOT + 3] = w3;
    },
  },
});

import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { SUM_HOT } from '../kernels/steps.js';

const params = z.object({ fast: period(5), slow: period(34) });
type P = z.output<typeof params>;

/** Awesome oscillator: SMA(fast) - SMA(slow) of the bar midpoint (h + l)/2. */
export const ao = defineIndicator<P>({
  name: 'ao',
  title: 'Awesome Oscillator',
  inputs: ['high', 'low'],
  params,
  outputs: ['value'],
  warmup: (p) => p.slow - 1,
  check: (p) => (p.fast < p.slow ? undefined : `'fast' (${p.fast}) must be less than 'slow' (${p.slow})`),
  kernel: {
    layout: (p) => ({ size: 2 * SUM_HOT + p.fast + 1 + p.slow + 1, hot: 2 * SUM_HOT }),
    run(ins, outs, st, p, from, to) {
      const [h, l] = ins as [Float64Array, Float64Array];
      const o = outs[0]!;
      const nf = p.fast | 0;
      const ns = p.slow | 0;
      const r1 = 2 * SUM_HOT;
      const r2 = r1 + nf + 1;
      // smaStep's two rolling sums (count, head, sum; rings after the hot area) in
      // locals for the run: the same arithmetic, so the same bits as bar by bar.
      let c1 = st[0]!;
      let h1 = st[1]! | 0;
      let s1 = st[2]!;
      let c2 = st[SUM_HOT]!;
      let h2 = st[SUM_HOT + 1]! | 0;
      let s2 = st[SUM_HOT + 2]!;
      for (let i = from; i < to; i++) {
        const m = (h[i]! + l[i]!) / 2;
        st[r1 + h1] = m;
        h1 = h1 === nf ? 0 : h1 + 1;
        s1 = s1 + m - st[r1 + h1]!;
        c1++;
        st[r2 + h2] = m;
        h2 = h2 === ns ? 0 : h2 + 1;
        s2 = s2 + m - st[r2 + h2]!;
        c2++;
        o[i] = (c1 >= nf ? s1 : NaN) / nf - (c2 >= ns ? s2 : NaN) / ns;
      }
      st[0] = c1;
      st[1] = h1;
      st[2] = s1;
      st[SUM_HOT] = c2;
      st[SUM_HOT + 1] = h2;
      st[SUM_HOT + 2] = s2;
    },
  },
});

import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { SUM_HOT, sumStep } from '../kernels/steps.js';

const params = z.object({ period: period(14) });
type P = z.output<typeof params>;

/** Vortex: VI+ = sum|h - prevLow| / sum TR, VI- = sum|l - prevHigh| / sum TR over `period`, from bar 1. */
export const vortex = defineIndicator<P>({
  name: 'vortex',
  title: 'Vortex Indicator',
  inputs: ['high', 'low', 'close'],
  params,
  outputs: ['plus', 'minus'],
  warmup: (p) => p.period,
  kernel: {
    layout: (p) => ({ size: 4 + 3 * SUM_HOT + 3 * (p.period + 1), hot: 4 + 3 * SUM_HOT }),
    run(ins, outs, st, p, from, to) {
      const [hi, lo, cl] = ins as [Float64Array, Float64Array, Float64Array];
      const [op, om] = outs as [Float64Array, Float64Array];
      const n = p.period;
      const r = 4 + 3 * SUM_HOT;
      for (let i = from; i < to; i++) {
        const h = hi[i]!;
        const l = lo[i]!;
        const first = st[0] === 0;
        const ph = st[1]!;
        const pl = st[2]!;
        const pc = st[3]!;
        st[0] = 1;
        st[1] = h;
        st[2] = l;
        st[3] = cl[i]!;
        if (first) {
          op[i] = om[i] = NaN;
          continue;
        }
        const tr = Math.max(h - l, Math.abs(h - pc), Math.abs(l - pc));
        const vp = sumStep(st, 4, r, n, Math.abs(h - pl));
        const vm = sumStep(st, 4 + SUM_HOT, r + n + 1, n, Math.abs(l - ph));
        const s = sumStep(st, 4 + 2 * SUM_HOT, r + 2 * (n + 1), n, tr);
        op[i] = s > 0 ? vp / s : s !== s ? NaN : 0;
        om[i] = s > 0 ? vm / s : s !== s ? NaN : 0;
      }
    },
  },
});

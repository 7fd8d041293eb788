import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { SUM_HOT, extremeHot, extremeStep, sumStep } from '../kernels/steps.js';

const params = z.object({ period: period(14, 2) });
type P = z.output<typeof params>;

/**
 * Choppiness index 100 * log10(sum TR / (HH - LL)) / log10(n) over n bars,
 * TR from bar 1 (as in `atr`); ~100 = choppy, ~0 = trending. A window with
 * no range at all reads 100.
 */
export const chop = defineIndicator<P>({
  name: 'chop',
  title: 'Choppiness Index',
  inputs: ['high', 'low', 'close'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period,
  kernel: {
    layout: (p) => {
      const hot = 2 + SUM_HOT + 2 * extremeHot(p.period);
      return { size: hot + p.period + 1, hot };
    },
    run(ins, outs, st, p, from, to) {
      const [hi, lo, cl] = ins as [Float64Array, Float64Array, Float64Array];
      const o = outs[0]!;
      const n = p.period;
      const e = extremeHot(n);
      const H = 2 + SUM_HOT;
      const L = H + e;
      const r = L + e;
      const norm = 100 / Math.log10(n);
      for (let i = from; i < to; i++) {
        const first = st[0] === 0;
        const pc = st[1]!;
        st[0] = 1;
        st[1] = cl[i]!;
        if (first) {
          o[i] = NaN;
          continue;
        }
        const tr = Math.max(hi[i]! - lo[i]!, Math.abs(hi[i]! - pc), Math.abs(lo[i]! - pc));
        const s = sumStep(st, 2, r, n, tr);
        const range = extremeStep(st, H, n, 1, hi[i]!) - extremeStep(st, L, n, -1, lo[i]!);
        o[i] = s !== s ? NaN : range > 0 && s > 0 ? norm * Math.log10(s / range) : 100;
      }
    },
  },
});

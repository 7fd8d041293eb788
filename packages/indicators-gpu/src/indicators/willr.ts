import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { extremeHot, extremeStep } from '../kernels/steps.js';

const params = z.object({ period: period(14) });
type P = z.output<typeof params>;

/** Williams %R = -100*(HH - close)/(HH - LL) over `period` bars; a flat window reads -50. */
export const willr = defineIndicator<P>({
  name: 'willr',
  title: 'Williams %R',
  inputs: ['high', 'low', 'close'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period - 1,
  kernel: {
    layout: (p) => ({ size: 2 * extremeHot(p.period), hot: 2 * extremeHot(p.period) }),
    run(ins, outs, st, p, from, to) {
      const [hi, lo, cl] = ins as [Float64Array, Float64Array, Float64Array];
      const o = outs[0]!;
      const e = extremeHot(p.period);
      for (let i = from; i < to; i++) {
        const hh = extremeStep(st, 0, p.period, 1, hi[i]!);
        const ll = extremeStep(st, e, p.period, -1, lo[i]!);
        o[i] = hh !== hh ? NaN : hh === ll ? -50 : (-100 * (hh - cl[i]!)) / (hh - ll);
      }
    },
  },
});

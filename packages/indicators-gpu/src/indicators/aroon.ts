import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { extremeAge, extremeHot, extremeStep } from '../kernels/steps.js';

const params = z.object({ period: period(25) });
type P = z.output<typeof params>;

/**
 * Aroon up/down = 100*(n - bars since the n-bar high/low)/n over the last
 * n + 1 bars (the current one included); ties take the most recent extreme.
 * oscillator = up - down.
 */
export const aroon = defineIndicator<P>({
  name: 'aroon',
  title: 'Aroon',
  inputs: ['high', 'low'],
  params,
  outputs: ['up', 'down', 'oscillator'],
  warmup: (p) => p.period,
  kernel: {
    layout: (p) => ({ size: 2 * extremeHot(p.period + 1), hot: 2 * extremeHot(p.period + 1) }),
    run(ins, outs, st, p, from, to) {
      const [hi, lo] = ins as [Float64Array, Float64Array];
      const [ou, od, oo] = outs as [Float64Array, Float64Array, Float64Array];
      const n = p.period;
      const e = extremeHot(n + 1);
      for (let i = from; i < to; i++) {
        const hh = extremeStep(st, 0, n + 1, 1, hi[i]!);
        extremeStep(st, e, n + 1, -1, lo[i]!);
        if (hh !== hh) {
          ou[i] = od[i] = oo[i] = NaN;
          continue;
        }
        const up = (100 * (n - extremeAge(st, 0))) / n;
        const dn = (100 * (n - extremeAge(st, e))) / n;
        ou[i] = up;
        od[i] = dn;
        oo[i] = up - dn;
      }
    },
  },
});

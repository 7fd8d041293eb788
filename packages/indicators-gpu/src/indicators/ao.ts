import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { SUM_HOT, smaStep } from '../kernels/steps.js';

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
      const r1 = 2 * SUM_HOT;
      const r2 = r1 + p.fast + 1;
      for (let i = from; i < to; i++) {
        const m = (h[i]! + l[i]!) / 2;
        o[i] = smaStep(st, 0, r1, p.fast, m) - smaStep(st, SUM_HOT, r2, p.slow, m);
      }
    },
  },
});

import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { EMA_HOT, emaStep } from '../kernels/steps.js';

const params = z.object({ period: period(13) });
type P = z.output<typeof params>;

/** Elder ray: bull power = high - EMA(close), bear power = low - EMA(close). */
export const elderray = defineIndicator<P>({
  name: 'elderray',
  title: 'Elder Ray Index',
  inputs: ['high', 'low', 'close'],
  params,
  outputs: ['bull', 'bear'],
  warmup: (p) => p.period - 1,
  kernel: {
    layout: () => ({ size: EMA_HOT, hot: EMA_HOT }),
    run(ins, outs, st, p, from, to) {
      const [h, l, c] = ins as [Float64Array, Float64Array, Float64Array];
      const [ob, oe] = outs as [Float64Array, Float64Array];
      const a = 2 / (p.period + 1);
      for (let i = from; i < to; i++) {
        const e = emaStep(st, 0, p.period, a, c[i]!);
        ob[i] = h[i]! - e;
        oe[i] = l[i]! - e;
      }
    },
  },
});

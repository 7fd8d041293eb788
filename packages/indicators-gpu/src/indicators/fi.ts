import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { EMA_HOT, emaStep } from '../kernels/steps.js';

const params = z.object({ period: period(13) });
type P = z.output<typeof params>;

/** Force index: EMA(period) of (close - prevClose) x volume, from bar 1 (EMA SMA-seeded). */
export const fi = defineIndicator<P>({
  name: 'fi',
  title: 'Force Index',
  inputs: ['close', 'volume'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period,
  kernel: {
    layout: () => ({ size: 2 + EMA_HOT, hot: 2 + EMA_HOT }),
    run(ins, outs, st, p, from, to) {
      const [c, v] = ins as [Float64Array, Float64Array];
      const o = outs[0]!;
      const a = 2 / (p.period + 1);
      for (let i = from; i < to; i++) {
        const f = st[0] === 0 ? NaN : (c[i]! - st[1]!) * v[i]!;
        st[0] = 1;
        st[1] = c[i]!;
        o[i] = emaStep(st, 2, p.period, a, f);
      }
    },
  },
});

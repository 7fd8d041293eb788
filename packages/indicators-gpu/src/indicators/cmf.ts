import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { SUM_HOT, sumStep } from '../kernels/steps.js';
import { moneyFlowVolume } from './ad.js';

const params = z.object({ period: period(20) });
type P = z.output<typeof params>;

/** Chaikin money flow: sum(money-flow volume)/sum(volume) over `period`; 0 with no volume. */
export const cmf = defineIndicator<P>({
  name: 'cmf',
  title: 'Chaikin Money Flow',
  inputs: ['high', 'low', 'close', 'volume'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period - 1,
  kernel: {
    layout: (p) => ({ size: 2 * SUM_HOT + 2 * (p.period + 1), hot: 2 * SUM_HOT }),
    run(ins, outs, st, p, from, to) {
      const [h, l, c, v] = ins as [Float64Array, Float64Array, Float64Array, Float64Array];
      const o = outs[0]!;
      const n = p.period;
      const r = 2 * SUM_HOT;
      for (let i = from; i < to; i++) {
        const mf = sumStep(st, 0, r, n, moneyFlowVolume(h[i]!, l[i]!, c[i]!, v[i]!));
        const sv = sumStep(st, SUM_HOT, r + n + 1, n, v[i]!);
        o[i] = mf !== mf ? NaN : sv > 0 ? mf / sv : 0;
      }
    },
  },
});

import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { COV_HOT, covStep } from '../kernels/steps.js';

const params = z.object({ period: period(30, 2) });
type P = z.output<typeof params>;

/**
 * Rolling Pearson correlation of `close` and `benchmark` levels over
 * `period` bars (TA-Lib CORREL). Pass the second series as the `benchmark`
 * input, e.g. { close: ethClose, benchmark: btcClose }; streaming bars carry
 * it as bar.benchmark. A window where either series is flat reads 0.
 */
export const correl = defineIndicator<P>({
  name: 'correl',
  title: 'Rolling Correlation',
  inputs: ['close', 'benchmark'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period - 1,
  kernel: {
    layout: (p) => ({ size: COV_HOT + 2 * (p.period + 1), hot: COV_HOT }),
    run(ins, outs, st, p, from, to) {
      const [x, y] = ins as [Float64Array, Float64Array];
      const o = outs[0]!;
      for (let i = from; i < to; i++) {
        const c = covStep(st, 0, COV_HOT, p.period, x[i]!, y[i]!);
        const d = st[5]! * st[6]!;
        o[i] = c < p.period ? NaN : d > 0 ? Math.max(-1, Math.min(1, st[4]! / Math.sqrt(d))) : 0;
      }
    },
  },
});

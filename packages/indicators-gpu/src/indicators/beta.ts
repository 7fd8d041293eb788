import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { COV_HOT, covStep } from '../kernels/steps.js';

const params = z.object({ period: period(30, 2) });
type P = z.output<typeof params>;

/**
 * Rolling beta of `close` against `benchmark`: cov(r, rb)/var(rb) of simple
 * one-bar returns over `period` returns (TA-Lib BETA uses returns too). Pass
 * the benchmark (e.g. BTC close) as the `benchmark` input. A flat benchmark reads 0.
 */
export const beta = defineIndicator<P>({
  name: 'beta',
  title: 'Rolling Beta',
  inputs: ['close', 'benchmark'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period,
  kernel: {
    layout: (p) => ({ size: 3 + COV_HOT + 2 * (p.period + 1), hot: 3 + COV_HOT }),
    run(ins, outs, st, p, from, to) {
      const [x, y] = ins as [Float64Array, Float64Array];
      const o = outs[0]!;
      const h = 3;
      for (let i = from; i < to; i++) {
        const first = st[0] === 0;
        const px = st[1]!;
        const py = st[2]!;
        st[0] = 1;
        st[1] = x[i]!;
        st[2] = y[i]!;
        if (first) {
          o[i] = NaN;
          continue;
        }
        const c = covStep(st, h, h + COV_HOT, p.period, x[i]! / px - 1, y[i]! / py - 1);
        const vb = st[h + 6]!;
        o[i] = c < p.period ? NaN : vb > 0 ? st[h + 4]! / vb : 0;
      }
    },
  },
});

import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { gpuEma } from '../multi/gpu-bodies.js';

const params = z.object({ period: period(20) });
type P = z.output<typeof params>;

/**
 * Exponential moving average, alpha = 2 / (period + 1), seeded with the SMA
 * of the first `period` values (the technicalindicators / TA-Lib convention;
 * tulip seeds with the first value instead). State: [count, value].
 */
export const ema = defineIndicator<P>({
  name: 'ema',
  title: 'Exponential Moving Average',
  inputs: ['close'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period - 1,
  notes: 'Seeded by the SMA of the first `period` values; alpha = 2/(period+1).',
  kernel: {
    layout: () => ({ size: 2, hot: 2 }),
    run(ins, outs, st, p, from, to) {
      const x = ins[0]!;
      const o = outs[0]!;
      const n = p.period;
      const a = 2 / (n + 1);
      let cnt = st[0]!;
      let v = st[1]!;
      let i = from;
      // Seed phase: accumulate the SMA of the first n values.
      for (; i < to && cnt < n; i++) {
        v += x[i]!;
        cnt++;
        if (cnt === n) {
          v /= n;
          o[i] = v;
        } else o[i] = NaN;
      }
      // v = (1-a)*v + a*x: one multiply-add on the loop-carried chain instead of sub-mul-add.
      const b = 1 - a;
      // Batch: four bars per step of the loop-carried chain. v(i+4) = b^4 v(i) +
      // a(b^3 x0 + b^2 x1 + b x2 + x3); the three bars in between are computed
      // off the chain. Same value as the one-bar recurrence to ~1e-15 relative.
      const b2 = b * b;
      const b3 = b2 * b;
      const b4 = b2 * b2;
      const ab = a * b;
      const ab2 = a * b2;
      const ab3 = a * b3;
      for (; i + 3 < to; i += 4) {
        const x0 = x[i]!;
        const x1 = x[i + 1]!;
        const x2 = x[i + 2]!;
        const x3 = x[i + 3]!;
        const ax0 = a * x0;
        o[i] = b * v + ax0;
        o[i + 1] = b2 * v + (ab * x0 + a * x1);
        o[i + 2] = b3 * v + (ab2 * x0 + ab * x1 + a * x2);
        v = b4 * v + (ab3 * x0 + ab2 * x1 + ab * x2 + a * x3);
        o[i + 3] = v;
      }
      for (; i < to; i++) {
        v = b * v + a * x[i]!;
        o[i] = v;
      }
      st[0] = cnt;
      st[1] = v;
    },
  },
  gpu: gpuEma,
});

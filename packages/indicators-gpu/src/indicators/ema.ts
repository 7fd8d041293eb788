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

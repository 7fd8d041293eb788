import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';

const params = z.object({});
type P = z.output<typeof params>;

/** On-balance volume: cumulative volume signed by the close-to-close change, 0 at bar 0. */
export const obv = defineIndicator<P>({
  name: 'obv',
  title: 'On-Balance Volume',
  inputs: ['close', 'volume'],
  params,
  outputs: ['value'],
  warmup: () => 0,
  kernel: {
    layout: () => ({ size: 3, hot: 3 }),
    run(ins, outs, st, _p, from, to) {
      const [c, v] = ins as [Float64Array, Float64Array];
      const o = outs[0]!;
      let cnt = st[0]!;
      let prev = st[1]!;
      let sum = st[2]!;
      for (let i = from; i < to; i++) {
        const x = c[i]!;
        if (cnt > 0) {
          if (x > prev) sum += v[i]!;
          else if (x < prev) sum -= v[i]!;
        }
        cnt = 1;
        prev = x;
        o[i] = sum;
      }
      st[0] = cnt;
      st[1] = prev;
      st[2] = sum;
    },
  },
});

import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';

const params = z.object({});
type P = z.output<typeof params>;

/** True range max(h - l, |h - prevClose|, |l - prevClose|); needs a previous close, so it starts at bar 1. */
export const trange = defineIndicator<P>({
  name: 'trange',
  title: 'True Range',
  inputs: ['high', 'low', 'close'],
  params,
  outputs: ['value'],
  warmup: () => 1,
  kernel: {
    layout: () => ({ size: 2, hot: 2 }),
    run(ins, outs, st, _p, from, to) {
      const [hi, lo, cl] = ins as [Float64Array, Float64Array, Float64Array];
      const o = outs[0]!;
      for (let i = from; i < to; i++) {
        const pc = st[1]!;
        o[i] = st[0] === 0 ? NaN : Math.max(hi[i]! - lo[i]!, Math.abs(hi[i]! - pc), Math.abs(lo[i]! - pc));
        st[0] = 1;
        st[1] = cl[i]!;
      }
    },
  },
});

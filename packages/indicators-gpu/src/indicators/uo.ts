import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { SUM_HOT, sumStep } from '../kernels/steps.js';

const params = z.object({ short: period(7), medium: period(14), long: period(28) });
type P = z.output<typeof params>;

/**
 * Ultimate oscillator: buying pressure BP = close - min(low, prevClose),
 * TR = max(high, prevClose) - min(low, prevClose), from bar 1;
 * 100 * (4*A(short) + 2*A(medium) + A(long)) / 7 with A(n) = sum BP / sum TR
 * (a window without range counts as 0).
 */
export const uo = defineIndicator<P>({
  name: 'uo',
  title: 'Ultimate Oscillator',
  inputs: ['high', 'low', 'close'],
  params,
  outputs: ['value'],
  warmup: (p) => Math.max(p.short, p.medium, p.long),
  check: (p) => (p.short <= p.medium && p.medium <= p.long ? undefined : `'medium' (${p.medium}) must lie between 'short' and 'long'`),
  kernel: {
    layout: (p) => ({ size: 2 + 6 * SUM_HOT + 2 * (p.short + p.medium + p.long + 3), hot: 2 + 6 * SUM_HOT }),
    run(ins, outs, st, p, from, to) {
      const [hi, lo, cl] = ins as [Float64Array, Float64Array, Float64Array];
      const o = outs[0]!;
      const ns = [p.short, p.medium, p.long] as const;
      for (let i = from; i < to; i++) {
        const c = cl[i]!;
        const first = st[0] === 0;
        const pc = st[1]!;
        st[0] = 1;
        st[1] = c;
        if (first) {
          o[i] = NaN;
          continue;
        }
        const low = Math.min(lo[i]!, pc);
        const bp = c - low;
        const tr = Math.max(hi[i]!, pc) - low;
        let acc = 0;
        let r = 2 + 6 * SUM_HOT;
        for (let k = 0; k < 3; k++) {
          const n = ns[k]!;
          const sb = sumStep(st, 2 + 2 * k * SUM_HOT, r, n, bp);
          const stt = sumStep(st, 2 + (2 * k + 1) * SUM_HOT, r + n + 1, n, tr);
          r += 2 * (n + 1);
          acc += (k === 0 ? 4 : k === 1 ? 2 : 1) * (stt > 0 ? sb / stt : sb !== sb ? NaN : 0);
        }
        o[i] = (100 * acc) / 7;
      }
    },
  },
});

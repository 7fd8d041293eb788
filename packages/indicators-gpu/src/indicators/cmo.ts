import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { SUM_HOT, sumStep } from '../kernels/steps.js';

const params = z.object({ period: period(14) });
type P = z.output<typeof params>;

/** Chande momentum oscillator: 100*(sum up - sum down)/(sum up + sum down) over `period` changes; flat reads 0. */
export const cmo = defineIndicator<P>({
  name: 'cmo',
  title: 'Chande Momentum Oscillator',
  inputs: ['close'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period,
  kernel: {
    layout: (p) => ({ size: 2 + 2 * SUM_HOT + 2 * (p.period + 1), hot: 2 + 2 * SUM_HOT }),
    run(ins, outs, st, p, from, to) {
      const x = ins[0]!;
      const o = outs[0]!;
      const n = p.period;
      const r = 2 + 2 * SUM_HOT;
      for (let i = from; i < to; i++) {
        const c = x[i]!;
        const first = st[0] === 0;
        const d = c - st[1]!;
        st[0] = 1;
        st[1] = c;
        if (first) {
          o[i] = NaN;
          continue;
        }
        const up = sumStep(st, 2, r, n, d > 0 ? d : 0);
        const dn = sumStep(st, 2 + SUM_HOT, r + n + 1, n, d < 0 ? -d : 0);
        o[i] = up !== up ? NaN : up + dn === 0 ? 0 : (100 * (up - dn)) / (up + dn);
      }
    },
  },
});

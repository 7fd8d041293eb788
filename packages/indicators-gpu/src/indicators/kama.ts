import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { LAG_HOT, SUM_HOT, lagStep, sumStep } from '../kernels/steps.js';

const params = z.object({ period: period(10), fast: period(2), slow: period(30) });
type P = z.output<typeof params>;

/**
 * Kaufman adaptive moving average. ER = |x - x[n]| / sum|dx| over n bars,
 * sc = (ER*(2/(fast+1) - 2/(slow+1)) + 2/(slow+1))^2, kama += sc*(x - kama);
 * starts from close[n-1] so the first value is at bar n (TA-Lib convention).
 * A flat window (sum|dx| = 0) has ER = 0. State: [count, prevClose, kama | lag | abs-diff sum].
 */
export const kama = defineIndicator<P>({
  name: 'kama',
  title: 'Kaufman Adaptive Moving Average',
  inputs: ['close'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period,
  check: (p) => (p.fast < p.slow ? undefined : `'fast' (${p.fast}) must be less than 'slow' (${p.slow})`),
  kernel: {
    layout: (p) => ({ size: 3 + LAG_HOT + SUM_HOT + 2 * (p.period + 1), hot: 3 + LAG_HOT + SUM_HOT }),
    run(ins, outs, st, p, from, to) {
      const x = ins[0]!;
      const o = outs[0]!;
      const n = p.period;
      const L = 3;
      const S = L + LAG_HOT;
      const rl = S + SUM_HOT;
      const rs = rl + n + 1;
      const fsc = 2 / (p.fast + 1);
      const ssc = 2 / (p.slow + 1);
      for (let i = from; i < to; i++) {
        const c = x[i]!;
        const cnt = st[0]!;
        const old = lagStep(st, L, rl, n, c);
        const vol = cnt === 0 ? NaN : sumStep(st, S, rs, n, Math.abs(c - st[1]!));
        st[1] = c;
        st[0] = cnt + 1;
        if (cnt < n) {
          if (cnt === n - 1) st[2] = c;
          o[i] = NaN;
          continue;
        }
        const er = vol > 0 ? Math.abs(c - old) / vol : 0;
        const sc = (er * (fsc - ssc) + ssc) ** 2;
        const k = st[2]! + sc * (c - st[2]!);
        st[2] = k;
        o[i] = k;
      }
    },
  },
});

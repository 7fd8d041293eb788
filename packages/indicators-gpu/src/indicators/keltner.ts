import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { factor, period } from '../kernels/param.js';
import { EMA_HOT, emaStep } from '../kernels/steps.js';

const params = z.object({ period: period(20), atrPeriod: period(10), multiplier: factor(2, 0, 100) });
type P = z.output<typeof params>;

/**
 * Keltner channels: middle = EMA(close), bands = middle +- multiplier * ATR
 * (Wilder ATR, TR from bar 1, as in `atr`). State: [count, prevClose | EMA | ATR].
 */
export const keltner = defineIndicator<P>({
  name: 'keltner',
  title: 'Keltner Channels',
  inputs: ['high', 'low', 'close'],
  params,
  outputs: ['middle', 'upper', 'lower'],
  warmup: (p) => Math.max(p.period - 1, p.atrPeriod),
  kernel: {
    layout: () => ({ size: 2 + 2 * EMA_HOT, hot: 2 + 2 * EMA_HOT }),
    run(ins, outs, st, p, from, to) {
      const [hi, lo, cl] = ins as [Float64Array, Float64Array, Float64Array];
      const [om, ou, ol] = outs as [Float64Array, Float64Array, Float64Array];
      const a = 2 / (p.period + 1);
      for (let i = from; i < to; i++) {
        const c = cl[i]!;
        const m = emaStep(st, 2, p.period, a, c);
        const first = st[0] === 0;
        const pc = st[1]!;
        st[0] = 1;
        st[1] = c;
        const tr = first ? NaN : Math.max(hi[i]! - lo[i]!, Math.abs(hi[i]! - pc), Math.abs(lo[i]! - pc));
        const r = emaStep(st, 2 + EMA_HOT, p.atrPeriod, 1 / p.atrPeriod, tr);
        const ok = m === m && r === r;
        om[i] = ok ? m : NaN;
        ou[i] = ok ? m + p.multiplier * r : NaN;
        ol[i] = ok ? m - p.multiplier * r : NaN;
      }
    },
  },
});

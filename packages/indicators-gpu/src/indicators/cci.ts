import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { SUM_HOT, sumStep } from '../kernels/steps.js';

const params = z.object({ period: period(20) });
type P = z.output<typeof params>;

/**
 * Commodity Channel Index = (tp - SMA(tp)) / (0.015 * meanDeviation(tp)),
 * tp = (h+l+c)/3. Mean deviation has no O(1) update, so each bar scans the
 * window ring: O(period) per bar in batch and streaming. Zero deviation reads 0.
 */
export const cci = defineIndicator<P>({
  name: 'cci',
  title: 'Commodity Channel Index',
  inputs: ['high', 'low', 'close'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period - 1,
  kernel: {
    layout: (p) => ({ size: SUM_HOT + p.period + 1, hot: SUM_HOT }),
    run(ins, outs, st, p, from, to) {
      const [hi, lo, cl] = ins as [Float64Array, Float64Array, Float64Array];
      const o = outs[0]!;
      const n = p.period;
      const r = SUM_HOT;
      for (let i = from; i < to; i++) {
        const tp = (hi[i]! + lo[i]! + cl[i]!) / 3;
        const s = sumStep(st, 0, r, n, tp);
        if (s !== s) {
          o[i] = NaN;
          continue;
        }
        const mean = s / n;
        // The window is every ring slot except the one after head (the spare).
        const head = st[1]!;
        let dev = 0;
        for (let k = 0; k <= n; k++) if (k !== head) dev += Math.abs(st[r + k]! - mean);
        dev /= n;
        o[i] = dev === 0 ? 0 : (tp - mean) / (0.015 * dev);
      }
    },
  },
});

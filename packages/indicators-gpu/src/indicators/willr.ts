import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { extremeHot, extremeStep } from '../kernels/steps.js';
import { EXTREME_BLOCK, extremeScratch, rebuildExtreme, windowExtremes } from '../kernels/window-extremes.js';

const params = z.object({ period: period(14) });
type P = z.output<typeof params>;

/** %R of a close against the window's highest high and lowest low. */
function willrAt(hh: number, ll: number, close: number): number {
  return hh !== hh ? NaN : hh === ll ? -50 : (-100 * (hh - close)) / (hh - ll);
}

/** Williams %R = -100*(HH - close)/(HH - LL) over `period` bars; a flat window reads -50. */
export const willr = defineIndicator<P>({
  name: 'willr',
  title: 'Williams %R',
  inputs: ['high', 'low', 'close'],
  params,
  outputs: ['value'],
  warmup: (p) => p.period - 1,
  kernel: {
    layout: (p) => ({ size: 2 * extremeHot(p.period), hot: 2 * extremeHot(p.period) }),
    run(ins, outs, st, p, from, to) {
      const [hi, lo, cl] = ins as [Float64Array, Float64Array, Float64Array];
      const o = outs[0]!;
      const n = p.period | 0;
      const e = extremeHot(n);
      // Bars whose window reaches back before this call (and the warm-up) go through the deques.
      const direct = Math.min(to, from + n - 1);
      let i = from;
      for (; i < direct; i++) o[i] = willrAt(extremeStep(st, 0, n, 1, hi[i]!), extremeStep(st, e, n, -1, lo[i]!), cl[i]!);
      if (to - i >= 4 * n) {
        const count = st[0]! + (to - i);
        const highs = extremeScratch(n, to - i);
        const lows = extremeScratch(n, to - i);
        for (let b = i; b < to; b += EXTREME_BLOCK) {
          const end = Math.min(to, b + EXTREME_BLOCK);
          windowExtremes(hi, from, b, end, n, 1, highs);
          windowExtremes(lo, from, b, end, n, -1, lows);
          const hh = highs.values;
          const ll = lows.values;
          for (let k = b; k < end; k++) o[k] = willrAt(hh[k - b]!, ll[k - b]!, cl[k]!);
        }
        rebuildExtreme(st, 0, n, 1, hi, to, count);
        rebuildExtreme(st, e, n, -1, lo, to, count);
        i = to;
      }
      for (; i < to; i++) o[i] = willrAt(extremeStep(st, 0, n, 1, hi[i]!), extremeStep(st, e, n, -1, lo[i]!), cl[i]!);
    },
  },
});

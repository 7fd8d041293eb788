import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { extremeHot, extremeStep } from '../kernels/steps.js';
import { HighLowBlocks } from '../kernels/window-extremes.js';

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
        const blocks = new HighLowBlocks(st, e, n, hi, lo, from, i, to);
        const hh = blocks.highs;
        const ll = blocks.lows;
        for (let b = i; b < to; ) {
          const end = blocks.fill(b);
          for (let k = b; k < end; k++) o[k] = willrAt(hh[k - b]!, ll[k - b]!, cl[k]!);
          b = end;
        }
        blocks.finish();
        i = to;
      }
      for (; i < to; i++) o[i] = willrAt(extremeStep(st, 0, n, 1, hi[i]!), extremeStep(st, e, n, -1, lo[i]!), cl[i]!);
    },
  },
});

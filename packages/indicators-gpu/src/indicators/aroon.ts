import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { extremeAge, extremeHot, extremeStep } from '../kernels/steps.js';
import { EXTREME_BLOCK, extremeScratch, RESCAN_MAX_PERIOD, rebuildExtreme, windowExtremesWithAge } from '../kernels/window-extremes.js';

/** One bar of up, down and oscillator from the ages of the window's high and low. */
function aroonBar(n: number, highAge: number, lowAge: number, ou: Float64Array, od: Float64Array, oo: Float64Array, i: number): void {
  const up = (100 * (n - highAge)) / n;
  const dn = (100 * (n - lowAge)) / n;
  ou[i] = up;
  od[i] = dn;
  oo[i] = up - dn;
}

/** One bar through the deques (window w = n + 1; the low's deque at e). */
function aroonStep(st: Float64Array, e: number, w: number, n: number, h: number, l: number, ou: Float64Array, od: Float64Array, oo: Float64Array, i: number): void {
  const hh = extremeStep(st, 0, w, 1, h);
  extremeStep(st, e, w, -1, l);
  if (hh !== hh) ou[i] = od[i] = oo[i] = NaN;
  else aroonBar(n, extremeAge(st, 0), extremeAge(st, e), ou, od, oo, i);
}

const params = z.object({ period: period(25) });
type P = z.output<typeof params>;

/**
 * Aroon up/down = 100*(n - bars since the n-bar high/low)/n over the last
 * n + 1 bars (the current one included); ties take the most recent extreme.
 * oscillator = up - down.
 */
export const aroon = defineIndicator<P>({
  name: 'aroon',
  title: 'Aroon',
  inputs: ['high', 'low'],
  params,
  outputs: ['up', 'down', 'oscillator'],
  warmup: (p) => p.period,
  kernel: {
    layout: (p) => ({ size: 2 * extremeHot(p.period + 1), hot: 2 * extremeHot(p.period + 1) }),
    run(ins, outs, st, p, from, to) {
      const [hi, lo] = ins as [Float64Array, Float64Array];
      const [ou, od, oo] = outs as [Float64Array, Float64Array, Float64Array];
      const n = p.period | 0;
      const w = n + 1;
      const e = extremeHot(w);
      let i = from;
      // Windows short enough to rescan give ages on the batch path; bars whose window
      // reaches back before this call (and the warm-up) go through the deques.
      const direct = Math.min(to, from + w - 1);
      if (w <= RESCAN_MAX_PERIOD) {
        for (; i < direct; i++) aroonStep(st, e, w, n, hi[i]!, lo[i]!, ou, od, oo, i);
        if (to - i >= 4 * w) {
          const count = st[0]! + (to - i);
          const highs = extremeScratch(w, to - i, true);
          const lows = extremeScratch(w, to - i, true);
          for (let b = i; b < to; b += EXTREME_BLOCK) {
            const end = Math.min(to, b + EXTREME_BLOCK);
            windowExtremesWithAge(hi, b, end, w, 1, highs);
            windowExtremesWithAge(lo, b, end, w, -1, lows);
            for (let k = b; k < end; k++) aroonBar(n, highs.ages[k - b]!, lows.ages[k - b]!, ou, od, oo, k);
          }
          rebuildExtreme(st, 0, w, 1, hi, to, count);
          rebuildExtreme(st, e, w, -1, lo, to, count);
          i = to;
        }
      }
      for (; i < to; i++) aroonStep(st, e, w, n, hi[i]!, lo[i]!, ou, od, oo, i);
    },
  },
});

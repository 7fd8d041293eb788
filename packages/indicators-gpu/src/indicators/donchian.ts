import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { gpuDonchian } from '../multi/gpu-bodies.js';
import { period } from '../kernels/param.js';
import { EXTREME_BLOCK, extremeScratch, rebuildExtreme, windowExtremes } from '../kernels/window-extremes.js';
import { extremeHot, extremeStep } from '../kernels/steps.js';

/** One bar of the channel from the window's highest high and lowest low. */
function channelBar(u: number, l: number, ou: Float64Array, om: Float64Array, ol: Float64Array, i: number): void {
  ou[i] = u;
  ol[i] = l;
  om[i] = (u + l) / 2;
}

const params = z.object({ period: period(20) });
type P = z.output<typeof params>;

/** Donchian channels: highest high, lowest low and their midpoint over `period` bars (current bar included). */
export const donchian = defineIndicator<P>({
  name: 'donchian',
  title: 'Donchian Channels',
  inputs: ['high', 'low'],
  params,
  outputs: ['upper', 'middle', 'lower'],
  warmup: (p) => p.period - 1,
  kernel: {
    layout: (p) => ({ size: 2 * extremeHot(p.period), hot: 2 * extremeHot(p.period) }),
    run(ins, outs, st, p, from, to) {
      const [hi, lo] = ins as [Float64Array, Float64Array];
      const [ou, om, ol] = outs as [Float64Array, Float64Array, Float64Array];
      const n = p.period | 0;
      const e = extremeHot(n);
      // Bars whose window reaches back before this call (and the warm-up) go through the deques.
      const direct = Math.min(to, from + n - 1);
      let i = from;
      for (; i < direct; i++) channelBar(extremeStep(st, 0, n, 1, hi[i]!), extremeStep(st, e, n, -1, lo[i]!), ou, om, ol, i);
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
          for (let k = b; k < end; k++) channelBar(hh[k - b]!, ll[k - b]!, ou, om, ol, k);
        }
        rebuildExtreme(st, 0, n, 1, hi, to, count);
        rebuildExtreme(st, e, n, -1, lo, to, count);
        i = to;
      }
      for (; i < to; i++) channelBar(extremeStep(st, 0, n, 1, hi[i]!), extremeStep(st, e, n, -1, lo[i]!), ou, om, ol, i);
    },
  },
  gpu: gpuDonchian,
});

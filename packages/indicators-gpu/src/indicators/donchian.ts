import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { gpuDonchian } from '../multi/gpu-bodies.js';
import { period } from '../kernels/param.js';
import { HighLowBlocks } from '../kernels/window-extremes.js';
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
        const blocks = new HighLowBlocks(st, e, n, hi, lo, from, i, to);
        const hh = blocks.highs;
        const ll = blocks.lows;
        for (let b = i; b < to; ) {
          const end = blocks.fill(b);
          for (let k = b; k < end; k++) channelBar(hh[k - b]!, ll[k - b]!, ou, om, ol, k);
          b = end;
        }
        blocks.finish();
        i = to;
      }
      for (; i < to; i++) channelBar(extremeStep(st, 0, n, 1, hi[i]!), extremeStep(st, e, n, -1, lo[i]!), ou, om, ol, i);
    },
  },
  gpu: gpuDonchian,
});

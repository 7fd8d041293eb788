import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { gpuBbands } from '../multi/gpu-bodies.js';
import { factor, period } from '../kernels/param.js';
import { VAR_HOT } from '../kernels/steps.js';

const params = z.object({ period: period(20, 2), stddev: factor(2, 0, 100) });
type P = z.output<typeof params>;

/**
 * Bollinger Bands: middle = SMA, bands = middle +- k * population stdev
 * (divide by N, as technicalindicators and tulip do; pandas' default is
 * sample). percentB = (close - lower) / (upper - lower) (0.5 on a flat
 * window); bandwidth = (upper - lower) / middle.
 */
export const bbands = defineIndicator<P>({
  name: 'bbands',
  title: 'Bollinger Bands',
  inputs: ['close'],
  params,
  outputs: ['middle', 'upper', 'lower', 'percentB', 'bandwidth'],
  warmup: (p) => p.period - 1,
  notes: 'Population standard deviation (divide by N).',
  kernel: {
    // State: [count, head, mean, m2 | ring of period + 1] — varStep's layout, inlined for speed.
    layout: (p) => ({ size: VAR_HOT + p.period + 1, hot: VAR_HOT }),
    screensInputs: true,
    run(ins, outs, st, p, from, to) {
      const x = ins[0]!;
      const om = outs[0]!;
      const ou = outs[1]!;
      const ol = outs[2]!;
      const ob = outs[3]!;
      const ow = outs[4]!;
      const n = p.period | 0;
      const k = p.stddev;
      const R = VAR_HOT;
      let cnt = st[0]! | 0;
      let head = st[1]! | 0;
      let mean = st[2]!;
      let m2 = st[3]!;
      // Screening: one compare per bar (NaN fails c > 0); +Infinity leaves mean or m2 non-finite.
      let ok = true;
      for (let i = from; i < to; i++) {
        const c = x[i]!;
        if (!(c > 0)) ok = false;
        st[R + head] = c;
        head = head === n ? 0 : head + 1;
        if (cnt < n) {
          cnt++;
          const d = c - mean;
          mean += d / cnt;
          m2 += d * (c - mean);
        } else {
          // Sliding Welford: replace the value leaving the window (see varStep).
          const old = st[R + head]!;
          const nm = mean + (c - old) / n;
          m2 += (c - old) * (c - nm + old - mean);
          mean = nm;
        }
        if (m2 < 0) m2 = 0;
        if (cnt < n) {
          om[i] = ou[i] = ol[i] = ob[i] = ow[i] = NaN;
          continue;
        }
        const w = k * Math.sqrt(m2 / n);
        om[i] = mean;
        ou[i] = mean + w;
        ol[i] = mean - w;
        ob[i] = w === 0 ? 0.5 : (c - (mean - w)) / (2 * w);
        ow[i] = (2 * w) / mean;
      }
      st[0] = cnt;
      st[1] = head;
      st[2] = mean;
      st[3] = m2;
      return ok && mean < Infinity && m2 < Infinity;
    },
  },
  gpu: gpuBbands,
});

import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';

const params = z.object({ fast: period(12), slow: period(26), signal: period(9) });
type P = z.output<typeof params>;

/**
 * MACD: EMA(fast) - EMA(slow) (both SMA-seeded), signal = EMA(signal) of
 * the MACD line, histogram = macd - signal. All three are NaN until the
 * signal exists, so every output shares one warm-up.
 */
export const macd = defineIndicator<P>({
  name: 'macd',
  title: 'Moving Average Convergence Divergence',
  inputs: ['close'],
  params,
  outputs: ['macd', 'signal', 'histogram'],
  warmup: (p) => p.slow - 1 + p.signal - 1,
  check: (p) => (p.fast < p.slow ? undefined : `'fast' (${p.fast}) must be less than 'slow' (${p.slow})`),
  notes: 'EMAs seeded by SMA (technicalindicators convention); macd line masked to NaN until the signal is ready.',
  kernel: {
    // State: [count, fastEma, slowEma, signal]; EMAs hold running sums while seeding.
    layout: () => ({ size: 4, hot: 4 }),
    screensInputs: true,
    run(ins, outs, st, p, from, to) {
      const x = ins[0]!;
      const om = outs[0]!;
      const os = outs[1]!;
      const oh = outs[2]!;
      const nf = p.fast;
      const ns = p.slow;
      const ng = p.signal;
      const af = 2 / (nf + 1);
      const as = 2 / (ns + 1);
      const ag = 2 / (ng + 1);
      const ready = ns + ng - 1;
      let cnt = st[0]! | 0;
      let f = st[1]!;
      let s = st[2]!;
      let g = st[3]!;
      // Screening: one compare per bar (NaN fails v > 0); +Infinity leaves the EMAs non-finite.
      let ok = true;
      let i = from;
      // Warm-up: seed the EMAs (SMA seeds) bar by bar, like three chained emaStep calls.
      for (; i < to && cnt < ready; i++) {
        const v = x[i]!;
        if (!(v > 0)) ok = false;
        cnt++;
        if (cnt < nf) f += v;
        else if (cnt === nf) f = (f + v) / nf;
        else f = (1 - af) * f + af * v;
        if (cnt < ns) s += v;
        else if (cnt === ns) s = (s + v) / ns;
        else s = (1 - as) * s + as * v;
        if (cnt >= ns) {
          const k = cnt - ns + 1;
          const m = f - s;
          if (k < ng) g += m;
          else {
            g = (g + m) / ng;
            om[i] = m;
            os[i] = g;
            oh[i] = m - g;
            continue;
          }
        }
        om[i] = os[i] = oh[i] = NaN;
      }
      const bf = 1 - af;
      const bs = 1 - as;
      const bg = 1 - ag;
      for (; i < to; i++) {
        const v = x[i]!;
        if (!(v > 0)) ok = false;
        // (1-a)*prev + a*x keeps one multiply-add on each loop-carried chain.
        f = bf * f + af * v;
        s = bs * s + as * v;
        const m = f - s;
        g = bg * g + ag * m;
        om[i] = m;
        os[i] = g;
        oh[i] = m - g;
      }
      st[0] = cnt;
      st[1] = f;
      st[2] = s;
      st[3] = g;
      return ok && f < Infinity && s < Infinity;
    },
  },
});

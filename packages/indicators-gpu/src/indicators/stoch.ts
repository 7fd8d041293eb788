import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { SUM_HOT, extremeHot, extremeStep, smaStep } from '../kernels/steps.js';
import { HighLowBlocks } from '../kernels/window-extremes.js';

/**
 * One bar of %K and %D from the window's highest high and lowest low; the two
 * SMA steps sit at s1 (ring r1, `smooth`) and right after it (ring after r1's).
 */
function stochBar(st: Float64Array, s1: number, r1: number, smooth: number, signal: number, hh: number, ll: number, close: number, ok: Float64Array, od: Float64Array, i: number): void {
  const raw = hh !== hh ? NaN : hh === ll ? 50 : (100 * (close - ll)) / (hh - ll);
  // An average of one value is that value: exact, and no rolling sum to keep.
  const k = smooth === 1 ? raw : smaStep(st, s1, r1, smooth, raw);
  const d = signal === 1 ? k : smaStep(st, s1 + SUM_HOT, r1 + smooth + 1, signal, k);
  ok[i] = d === d ? k : NaN;
  od[i] = d;
}

const params = z.object({ period: period(14), smooth: period(1), signal: period(3) });
type P = z.output<typeof params>;

/**
 * Stochastic oscillator: raw %K = 100*(close - LL)/(HH - LL) over `period`
 * bars, k = SMA(smooth) of raw %K (smooth = 1: fast stochastic, the
 * technicalindicators default), d = SMA(signal) of k. A flat window reads 50.
 */
export const stoch = defineIndicator<P>({
  name: 'stoch',
  title: 'Stochastic Oscillator',
  inputs: ['high', 'low', 'close'],
  params,
  outputs: ['k', 'd'],
  warmup: (p) => p.period - 1 + p.smooth - 1 + p.signal - 1,
  kernel: {
    layout: (p) => {
      const hot = 2 * extremeHot(p.period) + 2 * SUM_HOT;
      return { size: hot + p.smooth + 1 + p.signal + 1, hot };
    },
    run(ins, outs, st, p, from, to) {
      const [hi, lo, cl] = ins as [Float64Array, Float64Array, Float64Array];
      const [ok, od] = outs as [Float64Array, Float64Array];
      const e = extremeHot(p.period);
      const s1 = 2 * e;
      const s2 = s1 + SUM_HOT;
      const r1 = s2 + SUM_HOT;
      const n = p.period | 0;
      // Bars whose window reaches back before this call (and the warm-up) go through the deques.
      const direct = Math.min(to, from + n - 1);
      let i = from;
      for (; i < direct; i++) stochBar(st, s1, r1, p.smooth, p.signal, extremeStep(st, 0, n, 1, hi[i]!), extremeStep(st, e, n, -1, lo[i]!), cl[i]!, ok, od, i);
      if (to - i >= 4 * n) {
        const blocks = new HighLowBlocks(st, e, n, hi, lo, from, i, to);
        const hh = blocks.highs;
        const ll = blocks.lows;
        for (let b = i; b < to; ) {
          const end = blocks.fill(b);
          for (let k = b; k < end; k++) stochBar(st, s1, r1, p.smooth, p.signal, hh[k - b]!, ll[k - b]!, cl[k]!, ok, od, k);
          b = end;
        }
        blocks.finish();
        i = to;
      }
      for (; i < to; i++) stochBar(st, s1, r1, p.smooth, p.signal, extremeStep(st, 0, n, 1, hi[i]!), extremeStep(st, e, n, -1, lo[i]!), cl[i]!, ok, od, i);
    },
  },
});

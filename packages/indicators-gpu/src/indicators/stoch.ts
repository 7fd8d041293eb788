import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { SUM_HOT, extremeHot, extremeStep, smaStep } from '../kernels/steps.js';

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
      const r2 = r1 + p.smooth + 1;
      for (let i = from; i < to; i++) {
        const hh = extremeStep(st, 0, p.period, 1, hi[i]!);
        const ll = extremeStep(st, e, p.period, -1, lo[i]!);
        const raw = hh !== hh ? NaN : hh === ll ? 50 : (100 * (cl[i]! - ll)) / (hh - ll);
        const k = smaStep(st, s1, r1, p.smooth, raw);
        const d = smaStep(st, s2, r2, p.signal, k);
        ok[i] = d === d ? k : NaN;
        od[i] = d;
      }
    },
  },
});

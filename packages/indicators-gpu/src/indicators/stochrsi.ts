import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';
import { RSI_HOT, SUM_HOT, extremeHot, extremeStep, rsiStep, smaStep } from '../kernels/steps.js';

const params = z.object({ rsiPeriod: period(14), stochPeriod: period(14), k: period(3), d: period(3) });
type P = z.output<typeof params>;

/**
 * Stochastic RSI: 100*(rsi - min(rsi))/(max(rsi) - min(rsi)) over
 * `stochPeriod`, k = SMA(k), d = SMA(d) of k (technicalindicators layout).
 * RSI is Wilder's; a flat RSI window reads 50.
 */
export const stochrsi = defineIndicator<P>({
  name: 'stochrsi',
  title: 'Stochastic RSI',
  inputs: ['close'],
  params,
  outputs: ['k', 'd'],
  warmup: (p) => p.rsiPeriod + p.stochPeriod - 1 + p.k - 1 + p.d - 1,
  kernel: {
    layout: (p) => {
      const hot = RSI_HOT + 2 * extremeHot(p.stochPeriod) + 2 * SUM_HOT;
      return { size: hot + p.k + 1 + p.d + 1, hot };
    },
    run(ins, outs, st, p, from, to) {
      const x = ins[0]!;
      const [ok, od] = outs as [Float64Array, Float64Array];
      const e = extremeHot(p.stochPeriod);
      const mx = RSI_HOT;
      const mn = mx + e;
      const s1 = mn + e;
      const s2 = s1 + SUM_HOT;
      const r1 = s2 + SUM_HOT;
      const r2 = r1 + p.k + 1;
      for (let i = from; i < to; i++) {
        const r = rsiStep(st, 0, p.rsiPeriod, x[i]!);
        const hh = extremeStep(st, mx, p.stochPeriod, 1, r);
        const ll = extremeStep(st, mn, p.stochPeriod, -1, r);
        const raw = hh !== hh ? NaN : hh === ll ? 50 : (100 * (r - ll)) / (hh - ll);
        const k = smaStep(st, s1, r1, p.k, raw);
        const d = smaStep(st, s2, r2, p.d, k);
        ok[i] = d === d ? k : NaN;
        od[i] = d;
      }
    },
  },
});

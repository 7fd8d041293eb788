import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { MAX_PERIOD, period } from '../kernels/param.js';
import { LAG_HOT, extremeHot, extremeStep, lagStep } from '../kernels/steps.js';

const params = z.object({
  conversion: period(9),
  base: period(26),
  spanB: period(52),
  displacement: z.number().int().min(0).max(MAX_PERIOD).default(26),
});
type P = z.output<typeof params>;

/**
 * Ichimoku cloud without lookahead. conversion/base = midpoints of the
 * 9/26-bar high-low range; spanA = (conversion + base)/2 and spanB = the
 * 52-bar midpoint, both as computed `displacement` bars ago — i.e. the
 * cloud that is plotted under the current bar. displacement = 0 gives the
 * undisplaced spans (technicalindicators' IchimokuCloud). The lagging span
 * (close plotted 26 bars back) is not an output: it needs no computation
 * and would be lookahead if aligned to past bars.
 */
export const ichimoku = defineIndicator<P>({
  name: 'ichimoku',
  title: 'Ichimoku Cloud',
  inputs: ['high', 'low'],
  params,
  outputs: ['conversion', 'base', 'spanA', 'spanB'],
  warmup: (p) => Math.max(p.conversion, p.base, p.spanB) - 1 + p.displacement,
  kernel: {
    layout: (p) => {
      const hot = 2 * (extremeHot(p.conversion) + extremeHot(p.base) + extremeHot(p.spanB)) + 2 * LAG_HOT;
      return { size: hot + 2 * (p.displacement + 1), hot };
    },
    run(ins, outs, st, p, from, to) {
      const [hi, lo] = ins as [Float64Array, Float64Array];
      const [oc, ob, oa, os] = outs as [Float64Array, Float64Array, Float64Array, Float64Array];
      const c = extremeHot(p.conversion);
      const b = extremeHot(p.base);
      const s = extremeHot(p.spanB);
      const o1 = 2 * c;
      const o2 = o1 + 2 * b;
      const lagA = o2 + 2 * s;
      const lagB = lagA + LAG_HOT;
      const r1 = lagB + LAG_HOT;
      const r2 = r1 + p.displacement + 1;
      const d = p.displacement;
      for (let i = from; i < to; i++) {
        const h = hi[i]!;
        const l = lo[i]!;
        const conv = (extremeStep(st, 0, p.conversion, 1, h) + extremeStep(st, c, p.conversion, -1, l)) / 2;
        const base = (extremeStep(st, o1, p.base, 1, h) + extremeStep(st, o1 + b, p.base, -1, l)) / 2;
        const sb = (extremeStep(st, o2, p.spanB, 1, h) + extremeStep(st, o2 + s, p.spanB, -1, l)) / 2;
        const sa = (conv + base) / 2;
        // Feed the lags only once both spans exist so they stay aligned.
        const ready = sa === sa && sb === sb;
        const da = ready ? lagStep(st, lagA, r1, d, sa) : NaN;
        const db = ready ? lagStep(st, lagB, r2, d, sb) : NaN;
        const ok = da === da;
        oc[i] = ok ? conv : NaN;
        ob[i] = ok ? base : NaN;
        oa[i] = da;
        os[i] = ok ? db : NaN;
      }
    },
  },
});

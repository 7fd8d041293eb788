import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { period } from '../kernels/param.js';

const params = z.object({ period: period(14) });
type P = z.output<typeof params>;

// State slots.
const CNT = 0;
const PH = 1;
const PL = 2;
const PC = 3;
const STR = 4;
const SP = 5;
const SM = 6;
const ADX = 7;

/**
 * ADX with +DI/-DI (Wilder, TA-Lib layout). TR/+DM/-DM start at bar 1; their
 * Wilder sums start as plain sums of the first `period` values and then
 * S = S - S/n + x; DX = 100*|+DI - -DI|/(+DI + -DI) (0 when both are 0);
 * ADX = mean of the first `period` DX values, then Wilder. Outputs share the
 * ADX warm-up (2*period - 1).
 */
export const adx = defineIndicator<P>({
  name: 'adx',
  title: 'Average Directional Index (DMI)',
  inputs: ['high', 'low', 'close'],
  params,
  outputs: ['adx', 'pdi', 'mdi'],
  warmup: (p) => 2 * p.period - 1,
  notes: 'Wilder smoothing; first ADX = SMA of the first `period` DX values.',
  kernel: {
    layout: () => ({ size: 8, hot: 8 }),
    run(ins, outs, st, p, from, to) {
      const [hi, lo, cl] = ins as [Float64Array, Float64Array, Float64Array];
      const [oa, op, om] = outs as [Float64Array, Float64Array, Float64Array];
      const n = p.period;
      for (let i = from; i < to; i++) {
        const h = hi[i]!;
        const l = lo[i]!;
        const cnt = st[CNT]!;
        st[CNT] = cnt + 1;
        if (cnt === 0) {
          st[PH] = h;
          st[PL] = l;
          st[PC] = cl[i]!;
          oa[i] = op[i] = om[i] = NaN;
          continue;
        }
        const pc = st[PC]!;
        const up = h - st[PH]!;
        const dn = st[PL]! - l;
        const pdm = up > dn && up > 0 ? up : 0;
        const mdm = dn > up && dn > 0 ? dn : 0;
        const tr = Math.max(h - l, Math.abs(h - pc), Math.abs(l - pc));
        st[PH] = h;
        st[PL] = l;
        st[PC] = cl[i]!;
        if (cnt <= n) {
          st[STR] = st[STR]! + tr;
          st[SP] = st[SP]! + pdm;
          st[SM] = st[SM]! + mdm;
        } else {
          st[STR] = st[STR]! - st[STR]! / n + tr;
          st[SP] = st[SP]! - st[SP]! / n + pdm;
          st[SM] = st[SM]! - st[SM]! / n + mdm;
        }
        if (cnt < n) {
          oa[i] = op[i] = om[i] = NaN;
          continue;
        }
        const str = st[STR]!;
        const pdi = str > 0 ? (100 * st[SP]!) / str : 0;
        const mdi = str > 0 ? (100 * st[SM]!) / str : 0;
        const dx = pdi + mdi > 0 ? (100 * Math.abs(pdi - mdi)) / (pdi + mdi) : 0;
        // cnt - n + 1 = DX values so far.
        const k = cnt - n + 1;
        let a: number;
        if (k < n) {
          st[ADX] = st[ADX]! + dx;
          a = NaN;
        } else if (k === n) {
          a = (st[ADX]! + dx) / n;
          st[ADX] = a;
        } else {
          a = (st[ADX]! * (n - 1) + dx) / n;
          st[ADX] = a;
        }
        oa[i] = a;
        op[i] = a === a ? pdi : NaN;
        om[i] = a === a ? mdi : NaN;
      }
    },
  },
});

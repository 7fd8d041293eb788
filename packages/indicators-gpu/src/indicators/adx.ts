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
      const n = p.period | 0;
      // Multiplications by 1/n and one reciprocal per bar instead of seven divisions.
      const inv = 1 / n;
      // The state in locals for the run (stored back at the end).
      let cnt = st[CNT]!;
      let ph = st[PH]!;
      let pl = st[PL]!;
      let pc = st[PC]!;
      let str = st[STR]!;
      let sp = st[SP]!;
      let sm = st[SM]!;
      let adx = st[ADX]!;
      for (let i = from; i < to; i++) {
        const h = hi[i]!;
        const l = lo[i]!;
        const c = cl[i]!;
        const seen = cnt;
        cnt = seen + 1;
        if (seen === 0) {
          ph = h;
          pl = l;
          pc = c;
          oa[i] = op[i] = om[i] = NaN;
          continue;
        }
        const up = h - ph;
        const dn = pl - l;
        const pdm = up > dn && up > 0 ? up : 0;
        const mdm = dn > up && dn > 0 ? dn : 0;
        const tr = Math.max(h - l, Math.abs(h - pc), Math.abs(l - pc));
        ph = h;
        pl = l;
        pc = c;
        if (seen <= n) {
          str = str + tr;
          sp = sp + pdm;
          sm = sm + mdm;
        } else {
          str = str - str * inv + tr;
          sp = sp - sp * inv + pdm;
          sm = sm - sm * inv + mdm;
        }
        if (seen < n) {
          oa[i] = op[i] = om[i] = NaN;
          continue;
        }
        const scale = str > 0 ? 100 / str : 0;
        const pdi = sp * scale;
        const mdi = sm * scale;
        const dx = pdi + mdi > 0 ? (100 * Math.abs(pdi - mdi)) / (pdi + mdi) : 0;
        // seen - n + 1 = DX values so far.
        const k = seen - n + 1;
        let a: number;
        if (k < n) {
          adx = adx + dx;
          a = NaN;
        } else if (k === n) {
          a = (adx + dx) * inv;
          adx = a;
        } else {
          a = (adx * (n - 1) + dx) * inv;
          adx = a;
        }
        oa[i] = a;
        op[i] = a === a ? pdi : NaN;
        om[i] = a === a ? mdi : NaN;
      }
      st[CNT] = cnt;
      st[PH] = ph;
      st[PL] = pl;
      st[PC] = pc;
      st[STR] = str;
      st[SP] = sp;
      st[SM] = sm;
      st[ADX] = adx;
    },
  },
});

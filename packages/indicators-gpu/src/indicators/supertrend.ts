import { z } from 'zod';
import { defineIndicator } from '../core/define-indicator.js';
import { factor, period } from '../kernels/param.js';

const params = z.object({ period: period(10), multiplier: factor(3, 0.01, 100) });
type P = z.output<typeof params>;

// State slots: count, prevClose, atr, finalUpper, finalLower, direction.
const CNT = 0;
const PC = 1;
const ATR = 2;
const UP = 3;
const LO = 4;
const DIR = 5;

/**
 * Supertrend on hl2 +- multiplier * ATR (Wilder ATR as in `atr`). The final
 * bands only tighten while price stays inside them; direction flips when
 * the close crosses the active band. Outputs the active band and direction
 * (+1 up, -1 down); the first trend is up.
 */
export const supertrend = defineIndicator<P>({
  name: 'supertrend',
  title: 'Supertrend',
  inputs: ['high', 'low', 'close'],
  params,
  outputs: ['value', 'direction'],
  warmup: (p) => p.period,
  kernel: {
    layout: () => ({ size: 6, hot: 6 }),
    run(ins, outs, st, p, from, to) {
      const [hi, lo, cl] = ins as [Float64Array, Float64Array, Float64Array];
      const [ov, od] = outs as [Float64Array, Float64Array];
      const n = p.period;
      for (let i = from; i < to; i++) {
        const h = hi[i]!;
        const l = lo[i]!;
        const c = cl[i]!;
        const cnt = st[CNT]!;
        st[CNT] = cnt + 1;
        const pc = st[PC]!;
        st[PC] = c;
        if (cnt === 0) {
          ov[i] = od[i] = NaN;
          continue;
        }
        const tr = Math.max(h - l, Math.abs(h - pc), Math.abs(l - pc));
        if (cnt < n) {
          st[ATR] = st[ATR]! + tr;
          ov[i] = od[i] = NaN;
          continue;
        }
        const atr = cnt === n ? (st[ATR]! + tr) / n : (st[ATR]! * (n - 1) + tr) / n;
        st[ATR] = atr;
        const mid = (h + l) / 2;
        const bu = mid + p.multiplier * atr;
        const bl = mid - p.multiplier * atr;
        let up: number;
        let lw: number;
        let dir: number;
        if (cnt === n) {
          up = bu;
          lw = bl;
          dir = 1;
        } else {
          const pu = st[UP]!;
          const pl = st[LO]!;
          up = bu < pu || pc > pu ? bu : pu;
          lw = bl > pl || pc < pl ? bl : pl;
          dir = st[DIR]!;
          if (dir === 1 && c < lw) dir = -1;
          else if (dir === -1 && c > up) dir = 1;
        }
        st[UP] = up;
        st[LO] = lw;
        st[DIR] = dir;
        ov[i] = dir === 1 ? lw : up;
        od[i] = dir;
      }
    },
  },
});
